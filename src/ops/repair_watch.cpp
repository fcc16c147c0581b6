#include "ops/repair_watch.hpp"

#include <algorithm>
#include <utility>

namespace leakhunt::ops {
namespace {

bool holdsAll(std::span<const int> segment, const std::vector<int>& modules) {
  return std::all_of(modules.begin(), modules.end(), [&](int m) {
    return std::find(segment.begin(), segment.end(), m) != segment.end();
  });
}

}  // namespace

RepairWatch::RepairWatch(std::vector<int> modules, double patch_s,
                         const verify::TrendOptions& trend)
    : m_modules(std::move(modules)), m_patch_s(patch_s), m_trend(trend) {
  std::sort(m_modules.begin(), m_modules.end());
}

RepairWatch::RepairWatch(const verify::TrendOptions& trend) : m_trend(trend) {}

void RepairWatch::watch(std::vector<int> modules, double patch_s) {
  m_modules = std::move(modules);
  std::sort(m_modules.begin(), m_modules.end());
  m_patch_s = patch_s;
  m_life = -1;
  m_segment.clear();
  m_points.clear();
  m_new = 0;
}

void RepairWatch::onPoint(int segment, std::span<const int> modules,
                          const verify::ResidualPoint& point, const verify::SegmentNoise& noise) {
  m_trend.onPoint(segment, modules, point, noise);
  if (m_modules.empty() || point.time_s < m_patch_s || !holdsAll(modules, m_modules)) return;
  // A new life of the segment (a hatch changed) starts the verification again: the residual's
  // level is free across it, and the segment may now hold other modules.
  if (segment != m_life) {
    m_life = segment;
    m_segment.assign(modules.begin(), modules.end());
    m_points.clear();
  }
  m_points.push_back(point);
  m_noise = noise;
  ++m_new;
}

int RepairWatch::takeNewPoints() { return std::exchange(m_new, 0); }

std::vector<RepairWatch::Change> RepairWatch::changesSincePatch() const {
  std::vector<Change> out;
  if (m_modules.empty()) return out;
  for (const verify::SegmentTrend& t : m_trend.trends())
    if (holdsAll(t.modules, m_modules))
      for (const verify::TrendChange& c : t.changes)
        if (c.reportedAt_s >= m_patch_s) out.push_back({t.modules, c});
  std::stable_sort(out.begin(), out.end(), [](const Change& a, const Change& b) {
    return a.change.reportedAt_s < b.change.reportedAt_s;
  });
  return out;
}

}  // namespace leakhunt::ops
