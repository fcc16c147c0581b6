// std::vector into a numpy array without a copy: the array owns the vector through a capsule.
#pragma once

#include <pybind11/numpy.h>

#include <utility>
#include <vector>

namespace leakhunt::python {

template <class T>
pybind11::array_t<T> toArray(std::vector<T>&& v) {
  auto* owned = new std::vector<T>(std::move(v));
  pybind11::capsule free(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return pybind11::array_t<T>(static_cast<pybind11::ssize_t>(owned->size()), owned->data(), free);
}

// Samples as three columns, the way a DataFrame holds them.
struct SampleColumns {
  std::vector<double> time_s;
  std::vector<int> channel;
  std::vector<double> value;
  void add(double t, int c, double v) {
    time_s.push_back(t);
    channel.push_back(c);
    value.push_back(v);
  }
};

}  // namespace leakhunt::python
