// The story's timeline: scheduled entries (the crew's actions the scenario plays) and what
// leakhunt concludes (alarms, estimates, verification, forensics) gathered while the run goes
// on and after it, then read in station-time order. Nothing is told live: the after-the-hole
// tools conclude after the run about times inside it (the verdict the day after the patch, the
// onset of the first alarm), so a live teller would print them out of order. The CLI prints
// `entries()` once the run is over (paced by --speed if asked).
#pragma once

#include <vector>

#include "report/report.hpp"

namespace leakhunt::story {

class Timeline {
 public:
  explicit Timeline(std::vector<report::TimelineEntry> scheduled);

  void tell(report::TimelineEntry entry);

  // Every entry, in station-time order; entries at one time in the order they were added,
  // scheduled ones first.
  std::vector<report::TimelineEntry> entries() const;

 private:
  std::vector<report::TimelineEntry> m_entries;
};

}  // namespace leakhunt::story
