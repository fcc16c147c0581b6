#include "model/station.hpp"

namespace leakhunt::model {
namespace {

template <class T>
int indexById(const std::vector<T>& items, const std::string& id) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

int Station::moduleIndex(const std::string& id) const { return indexById(modules, id); }

int Station::hatchIndex(const std::string& id) const { return indexById(hatches, id); }

}  // namespace leakhunt::model
