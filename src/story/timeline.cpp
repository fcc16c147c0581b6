#include "story/timeline.hpp"

#include <algorithm>

namespace leakhunt::story {

Timeline::Timeline(std::vector<report::TimelineEntry> scheduled)
    : m_entries(std::move(scheduled)) {}

void Timeline::tell(report::TimelineEntry entry) { m_entries.push_back(std::move(entry)); }

std::vector<report::TimelineEntry> Timeline::entries() const {
  std::vector<report::TimelineEntry> out = m_entries;
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
  return out;
}

}  // namespace leakhunt::story
