// campaign(spec): a detection campaign run in this process (no journal, no MPI: the CLI has
// those), summarised as `leakhunt campaign --json` summarises it. Runs release the GIL.
#include "campaign/campaign.hpp"

#include <pybind11/stl.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bindings.hpp"

namespace leakhunt::python {

namespace {

py::dict campaign(const std::string& path, int runs, int leakFreeRuns, int threads) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the campaign spec");
  std::stringstream text;
  text << in.rdbuf();
  const std::string baseDir =
      std::filesystem::absolute(path).parent_path().lexically_normal().string();
  const campaign::CampaignSpec spec = take(campaign::parseCampaignSpec(text.str(), path, baseDir));
  if (threads < 1) throw InputError("threads: must be 1 or more");
  const std::vector<campaign::PlannedRun> plan = campaign::planCampaign(spec, runs, leakFreeRuns);
  take(campaign::checkPlan(spec, plan));
  std::vector<campaign::RunRecord> records;
  {
    py::gil_scoped_release free;
    records = campaign::executeCampaign(spec, plan, threads, {});
  }
  const campaign::CampaignStats st = campaign::summarise(spec, records);
  py::dict d;
  d["name"] = spec.name;
  d["leak_free_runs"] = st.leakFreeRuns;
  d["leak_free_failed"] = st.leakFreeFailed;
  d["false_alarms"] = st.leakFreeAlarms;
  d["segment_years"] = st.leakFreeSegmentYears;
  d["false_alarms_per_segment_year"] = st.falseAlarmsPerSegmentYear;
  d["false_alarms_per_segment_year_upper95"] = st.falseAlarmUpper95;
  d["simulated_days"] = st.simulatedDays;
  py::list sizes;
  for (const campaign::SizeStats& s : st.sizes) {
    py::dict x;
    x["label"] = s.label;
    x["runs"] = s.runs;
    x["failed"] = s.failed;
    x["detected"] = s.detected;
    x["missed"] = s.missed;
    x["alarms_before_onset"] = s.alarmsBeforeOnset;
    x["alarms_wrong_segment"] = s.alarmsWrongSegment;
    x["delay_p50_s"] = s.delayP50_s;
    x["delay_p90_s"] = s.delayP90_s;
    x["delay_p99_s"] = s.delayP99_s;
    x["true_leak_rate_kg_s"] = s.truthRate_kg_s;
    x["estimated"] = s.estimated;
    x["covered95"] = s.covered95;
    x["median_abs_rel_error"] = s.medianAbsRelError;
    x["delays_s"] = s.delays_s;
    x["leak_rates_kg_s"] = s.rates_kg_s;
    sizes.append(x);
  }
  d["sizes"] = sizes;
  return d;
}

}  // namespace

void bindCampaign(py::module_& m) {
  m.def("campaign", &campaign, py::arg("spec"), py::arg("runs"), py::arg("leak_free_runs"),
        py::arg("threads"));
}

}  // namespace leakhunt::python
