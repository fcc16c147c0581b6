// The pieces of the Python module `leakhunt._leakhunt`, one file per concern: descriptions,
// the simulator, the streaming detector, the after-the-hole analyses, campaigns. Each binds
// library calls only; the library does the work, as for the CLI (architecture.md).
#pragma once

#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "base/result.hpp"
#include "gas/units.hpp"
#include "model/load.hpp"

namespace leakhunt::python {

namespace py = pybind11;

// An error a user can act on (a description, an option, telemetry): raised in Python as
// leakhunt.InputError, whose constructor reads "file:line:col:" off the message.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class T>
T take(Result<T> r) {
  if (!r) throw InputError(r.error().message);
  return std::move(r).value();
}

// A station or scenario together with the path it came from: event logs name their station by
// path, and messages name the file.
struct StationHandle {
  model::Station station;
  std::string path;  // empty when parsed from text
};
struct ScenarioHandle {
  model::Scenario scenario;
  std::string path;
};

// A duration or other quantity given either as a number in SI or as text with a unit
// ("6 h", "0.5 kg/day"), parsed by the same units library as the CLI.
double quantity(const py::handle& value, const char* name, gas::Dimension dimension);

void bindErrors(py::module_& m);
void bindDescriptions(py::module_& m);
void bindSimulate(py::module_& m);
void bindDetector(py::module_& m);
void bindAfterTheHole(py::module_& m);
void bindCampaign(py::module_& m);
void bindLocate(py::module_& m);

}  // namespace leakhunt::python
