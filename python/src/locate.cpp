// Localisation for Python: the adaptive isolation plan, asked for by the same names as
// `leakhunt locate plan` (locate::planRequest) and rendered by the same function
// (locate::toJson), so a notebook and the command line get one plan.
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "json_value.hpp"
#include "locate/plan_request.hpp"
#include "locate/render.hpp"

namespace leakhunt::python {
namespace {

py::object plan(const std::shared_ptr<StationHandle>& station, const py::object& leakRate,
                const std::string& strategy, const std::string& prior,
                const std::vector<std::string>& suspects, const std::vector<std::string>& crewAt,
                bool muster) {
  locate::PlanAsk ask;
  ask.leakRate_kg_s = quantity(leakRate, "leak_rate", gas::Dimension::MassRate);
  ask.strategy = strategy;
  ask.prior = prior;
  ask.suspects = suspects;
  ask.crewAt = crewAt;
  ask.muster = muster;
  const locate::PlanRequest request = take(locate::planRequest(station->station, ask));
  locate::Plan p;
  {
    py::gil_scoped_release free;
    p = locate::buildPlan(request);
  }
  return fromJson(locate::toJson(p));
}

}  // namespace

void bindLocate(py::module_& m) {
  m.def("locate_plan", &plan, py::arg("station"), py::arg("leak_rate"), py::arg("strategy"),
        py::arg("prior"), py::arg("suspects"), py::arg("crew_at"), py::arg("muster"));
}

}  // namespace leakhunt::python
