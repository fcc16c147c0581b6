// A document rendered once in C++ (report::, sim::, campaign:: renderers) as Python values, so
// the module speaks the CLI's keys by calling the CLI's renderer (issue 16) instead of building
// dictionaries of its own. JSON's null is None; a figure never reached is null there.
#pragma once

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>

namespace leakhunt::python {

inline pybind11::object fromJson(const nlohmann::ordered_json& j) {
  return pybind11::module_::import("json").attr("loads")(j.dump());
}

}  // namespace leakhunt::python
