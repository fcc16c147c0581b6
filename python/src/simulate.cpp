// simulate(scenario, ...): the scenario run to its end, telemetry (and truth, if asked) as
// columns. The run releases the GIL: other Python threads go on while it integrates.
#include <pybind11/stl.h>

#include <memory>

#include "arrays.hpp"
#include "bindings.hpp"
#include "json_value.hpp"
#include "sim/scenario_runner.hpp"
#include "sim/summary_json.hpp"

namespace leakhunt::python {

namespace {

struct Collect : sim::RunObserver {
  SampleColumns telemetrySamples, truthSamples;
  std::vector<std::string> telemetryNames, truthNames;
  void begin(const telemetry::ChannelTable& tm, const telemetry::ChannelTable& tr) override {
    for (std::size_t i = 0; i < tm.size(); ++i) telemetryNames.push_back(tm.name(int(i)));
    for (std::size_t i = 0; i < tr.size(); ++i) truthNames.push_back(tr.name(int(i)));
  }
  void telemetry(const telemetry::Sample& s) override {
    telemetrySamples.add(s.time_s, s.channel, s.value);
  }
  void truth(const telemetry::Sample& s) override {
    truthSamples.add(s.time_s, s.channel, s.value);
  }
};

py::dict columns(SampleColumns&& c, std::vector<std::string> names) {
  py::dict d;
  d["time_s"] = toArray(std::move(c.time_s));
  d["channel"] = toArray(std::move(c.channel));
  d["value"] = toArray(std::move(c.value));
  d["channels"] = std::move(names);
  return d;
}

sim::Solver solverOf(const std::string& name) {
  if (name == "auto") return sim::Solver::Auto;
  if (name == "full") return sim::Solver::Full;
  if (name == "reduced") return sim::Solver::Reduced;
  throw InputError("solver: '" + name + "' is not one of auto, full, reduced");
}

py::dict simulate(const ScenarioHandle& scenario, bool truth, const std::string& solver,
                  double rtol, const py::object& spinUp) {
  sim::RunOptions options;
  options.solver = solverOf(solver);
  if (!(rtol > 0.0 && rtol < 1.0)) throw InputError("rtol: must be in (0, 1)");
  options.relativeTolerance = rtol;
  options.emitTruth = truth;
  if (!spinUp.is_none()) {
    options.spinUp_s = quantity(spinUp, "spin_up", gas::Dimension::Time);
    if (!(options.spinUp_s >= 0.0)) throw InputError("spin_up: must be 0 or more");
  }
  auto collect = std::make_unique<Collect>();
  Result<sim::RunResult> run = Error{""};
  {
    py::gil_scoped_release free;
    run = sim::runScenario(scenario.scenario, options, *collect);
  }
  const sim::RunResult r = take(std::move(run));
  py::dict out;
  out["telemetry"] =
      columns(std::move(collect->telemetrySamples), std::move(collect->telemetryNames));
  if (truth)
    out["truth"] = columns(std::move(collect->truthSamples), std::move(collect->truthNames));
  // The CLI's rendering of each segment (sim/summary_json), as Python values.
  nlohmann::ordered_json segments = nlohmann::ordered_json::array();
  for (const sim::SegmentSummary& s : r.segments) segments.push_back(sim::segmentSummaryJson(s));
  out["segments"] = fromJson(segments);
  out["solver"] = r.solver;
  out["start_unix_s"] = scenario.scenario.startUnix_s;
  return out;
}

}  // namespace

void bindSimulate(py::module_& m) {
  m.def("simulate", &simulate, py::arg("scenario"), py::arg("truth") = false,
        py::arg("solver") = "auto", py::arg("rtol") = 1e-8, py::arg("spin_up") = py::none());
}

}  // namespace leakhunt::python
