// Segments a hole has emptied, from the detector's reports after an alarm (issue 21, item 3).
// At vacuum nothing is left to lose: a rate read there is near zero (or slightly negative from
// noise) and says nothing about the hole, and a trend over it is no "no change". The analysis
// commands ask this which segments emptied, and when, so they can say so instead.
#pragma once

#include <string>
#include <vector>

namespace leakhunt::ops {

struct EmptiedSegment {
  std::vector<std::string> modules;  // module ids, as the report names them
  double since_s = 0.0;              // Unix time of the first report at vacuum
  double pressure_pa = 0.0;          // its latest pressure
};

// The first of `emptied` that holds every one of `modules` (none for no modules), or null.
const EmptiedSegment* holding(const std::vector<EmptiedSegment>& emptied,
                              const std::vector<std::string>& modules);

class VacuumWatch {
 public:
  explicit VacuumWatch(double nominal_pa) : m_nominal_pa(nominal_pa) {}
  // One report of a segment's pressure at `time_s`; a segment repressurised above the line is
  // forgotten.
  void see(double time_s, const std::vector<std::string>& modules, double pressure_pa);
  // The emptied segment that holds every one of `modules`, or null.
  const EmptiedSegment* holding(const std::vector<std::string>& modules) const;
  const std::vector<EmptiedSegment>& emptied() const { return m_emptied; }

 private:
  double m_nominal_pa;
  std::vector<EmptiedSegment> m_emptied;
};

}  // namespace leakhunt::ops
