#include "story/timeline.hpp"

#include <algorithm>
#include <limits>

namespace leakhunt::story {

Timeline::Timeline(std::vector<report::TimelineEntry> scheduled, Sink sink)
    : m_scheduled(std::move(scheduled)), m_sink(std::move(sink)) {
  std::stable_sort(m_scheduled.begin(), m_scheduled.end(),
                   [](const auto& a, const auto& b) { return a.t < b.t; });
}

void Timeline::flushTo(double t) {
  while (m_next < m_scheduled.size() && m_scheduled[m_next].t <= t) {
    m_told.push_back(m_scheduled[m_next++]);
    if (m_sink) m_sink(m_told.back());
  }
}

void Timeline::tell(report::TimelineEntry entry) {
  flushTo(entry.t);
  m_told.push_back(std::move(entry));
  if (m_sink) m_sink(m_told.back());
}

void Timeline::finish() { flushTo(std::numeric_limits<double>::infinity()); }

}  // namespace leakhunt::story
