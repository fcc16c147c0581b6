// C++ errors into Python exceptions. InputError becomes leakhunt.errors.InputError (a
// ValueError carrying file, line and column); the class lives in Python so that users can
// catch it and read its fields without the extension.
#include <string>

#include "bindings.hpp"
#include "gas/units.hpp"

namespace leakhunt::python {

void bindErrors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      const py::object cls = py::module_::import("leakhunt.errors").attr("InputError");
      PyErr_SetObject(cls.ptr(), py::str(e.what()).ptr());
    }
  });
}

double quantity(const py::handle& value, const char* name, gas::Dimension dimension) {
  if (py::isinstance<py::str>(value)) {
    const std::string text = value.cast<std::string>();
    const Result<double> q = gas::parseQuantity(text, dimension);
    if (!q) throw InputError(std::string(name) + ": " + q.error().message);
    return *q;
  }
  try {
    return value.cast<double>();
  } catch (const py::cast_error&) {
    throw InputError(std::string(name) +
                     ": give a number in SI units or text with a unit, "
                     "such as \"6 h\"");
  }
}

}  // namespace leakhunt::python
