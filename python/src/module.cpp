// The compiled half of the Python module; leakhunt/__init__.py is the half users import.
#include "bindings.hpp"

PYBIND11_MODULE(_leakhunt, m) {
  m.doc() = "leakhunt's libraries for Python: use the `leakhunt` package, not this module.";
  using namespace leakhunt::python;
  bindErrors(m);
  bindDescriptions(m);
  bindSimulate(m);
  bindDetector(m);
  bindAfterTheHole(m);
  bindCampaign(m);
  bindLocate(m);
}
