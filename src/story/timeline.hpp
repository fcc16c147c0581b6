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
  // An alarm: at its time it comes before everything else (what the crew and the planner do
  // at that time is a response to it).
  void tellAlarm(report::TimelineEntry entry);
  // Everything `other` was told, after what this one was told (alarms stay alarms).
  void append(const Timeline& other);

  // Every entry, in station-time order; at one time, alarms first, then the rest in the order
  // they were added, scheduled ones first.
  std::vector<report::TimelineEntry> entries() const;

 private:
  struct Held {
    report::TimelineEntry entry;
    bool alarm = false;
  };
  std::vector<Held> m_entries;
};

}  // namespace leakhunt::story
