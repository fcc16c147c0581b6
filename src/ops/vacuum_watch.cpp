#include "ops/vacuum_watch.hpp"

#include <algorithm>

#include "detect/emptied_segment.hpp"

namespace leakhunt::ops {

void VacuumWatch::see(double time_s, const std::vector<std::string>& modules, double pressure_pa) {
  const auto same = [&](const EmptiedSegment& e) { return e.modules == modules; };
  const auto it = std::find_if(m_emptied.begin(), m_emptied.end(), same);
  if (!detect::isEmptied(pressure_pa, m_nominal_pa)) {
    if (it != m_emptied.end()) m_emptied.erase(it);
    return;
  }
  if (it != m_emptied.end()) {
    it->pressure_pa = pressure_pa;
    return;
  }
  m_emptied.push_back({modules, time_s, pressure_pa});
}

const EmptiedSegment* holding(const std::vector<EmptiedSegment>& emptied,
                              const std::vector<std::string>& modules) {
  for (const EmptiedSegment& e : emptied) {
    const bool all = std::all_of(modules.begin(), modules.end(), [&](const std::string& m) {
      return std::find(e.modules.begin(), e.modules.end(), m) != e.modules.end();
    });
    if (all && !modules.empty()) return &e;
  }
  return nullptr;
}

const EmptiedSegment* VacuumWatch::holding(const std::vector<std::string>& modules) const {
  return ops::holding(m_emptied, modules);
}

}  // namespace leakhunt::ops
