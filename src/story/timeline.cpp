#include "story/timeline.hpp"

#include <algorithm>

namespace leakhunt::story {

Timeline::Timeline(std::vector<report::TimelineEntry> scheduled) {
  for (report::TimelineEntry& e : scheduled) m_entries.push_back({std::move(e), false});
}

void Timeline::tell(report::TimelineEntry entry) { m_entries.push_back({std::move(entry), false}); }

void Timeline::tellAlarm(report::TimelineEntry entry) {
  m_entries.push_back({std::move(entry), true});
}

void Timeline::append(const Timeline& other) {
  m_entries.insert(m_entries.end(), other.m_entries.begin(), other.m_entries.end());
}

std::vector<report::TimelineEntry> Timeline::entries() const {
  std::vector<Held> held = m_entries;
  std::stable_sort(held.begin(), held.end(), [](const Held& a, const Held& b) {
    return a.entry.t < b.entry.t || (a.entry.t == b.entry.t && a.alarm && !b.alarm);
  });
  std::vector<report::TimelineEntry> out;
  for (Held& h : held) out.push_back(std::move(h.entry));
  return out;
}

}  // namespace leakhunt::story
