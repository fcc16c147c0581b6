// The story's timeline, told as it happens: scheduled entries (the scenario's events) come
// out when the simulation passes their time, and what leakhunt concludes (alarms, estimates)
// comes out the moment it is concluded, so the printed order is the order of station time.
#pragma once

#include <functional>
#include <vector>

#include "report/report.hpp"

namespace leakhunt::story {

class Timeline {
 public:
  using Sink = std::function<void(const report::TimelineEntry&)>;
  Timeline(std::vector<report::TimelineEntry> scheduled, Sink sink);

  // Tell every scheduled entry at or before `t`.
  void advanceTo(double t) {
    if (m_next < m_scheduled.size() && m_scheduled[m_next].t <= t) flushTo(t);
  }
  // Tell a conclusion now (after the scheduled entries up to its time).
  void tell(report::TimelineEntry entry);
  // Tell what is left (end of the run).
  void finish();

  const std::vector<report::TimelineEntry>& told() const { return m_told; }

 private:
  void flushTo(double t);
  std::vector<report::TimelineEntry> m_scheduled;
  std::size_t m_next = 0;
  Sink m_sink;
  std::vector<report::TimelineEntry> m_told;
};

}  // namespace leakhunt::story
