// campaign(spec): a detection campaign run in this process (no journal, no MPI: the CLI has
// those), summarised by the same document as `leakhunt campaign --json` (campaign/summary_json),
// with each size's delays and rates run by run added. Runs release the GIL.
#include "campaign/campaign.hpp"

#include <pybind11/stl.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bindings.hpp"
#include "campaign/summary_json.hpp"
#include "json_value.hpp"

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
  const auto t0 = std::chrono::steady_clock::now();
  {
    py::gil_scoped_release free;
    records = campaign::executeCampaign(spec, plan, threads, {});
  }
  const campaign::CampaignStats st = campaign::summarise(spec, records);
  campaign::RunInfo info;
  info.threads = threads;
  info.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // The CLI's document, key for key, through Python's own JSON reader; then what only an
  // analyst's notebook wants: each size's delays and estimated rates, run by run.
  py::dict d = fromJson(campaign::summaryJson(spec, records, st, info));
  py::list sizes = d["sizes"];
  for (std::size_t i = 0; i < st.sizes.size() && i < py::len(sizes); ++i) {
    py::dict x = sizes[i];
    x["delays_s"] = st.sizes[i].delays_s;
    x["leak_rates_kg_s"] = st.sizes[i].rates_kg_s;
  }
  return d;
}

}  // namespace

void bindCampaign(py::module_& m) {
  m.def("campaign", &campaign, py::arg("spec"), py::arg("runs"), py::arg("leak_free_runs"),
        py::arg("threads"));
}

}  // namespace leakhunt::python
