// After a logged patch: the residual inventory of the segment holding the localised module(s),
// from the patch on, for repair verification; and the leak-rate trend of every segment, for the
// changes after it (physics.md 7, docs/after-the-hole.md). Fed the core's one detector's
// residual stream (detect/segment_residual.hpp) from the start: the trend runs over all of it,
// verification from the patch `watch` names.
#pragma once

#include <optional>
#include <vector>

#include "detect/detector.hpp"
#include "verify/residual_tap.hpp"
#include "verify/trend.hpp"
#include "verify/verify.hpp"

namespace leakhunt::ops {

class RepairWatch final : public verify::ResidualSink, public detect::DetectionObserver {
 public:
  RepairWatch(std::vector<int> modules, double patch_s, const verify::TrendOptions& trend);
  // The trend only, until `watch` names a patch.
  explicit RepairWatch(const verify::TrendOptions& trend);
  // Verify the segment holding `modules` from `patch_s` on (a later patch starts again).
  void watch(std::vector<int> modules, double patch_s);
  void onResidual(const detect::SegmentResidual& r) override { verify::toSink(r, *this); }
  const verify::TrendBuilder& trend() const { return m_trend; }

  void onPoint(int segment, std::span<const int> modules, const verify::ResidualPoint& point,
               const verify::SegmentNoise& noise) override;

  // Points of the watched segment since the patch (its latest life), and their noise.
  const std::vector<verify::ResidualPoint>& points() const { return m_points; }
  const verify::SegmentNoise& noise() const { return m_noise; }
  const std::vector<int>& segment() const { return m_segment; }
  // New points since the last call.
  int takeNewPoints();

  // Changes of the trends of segments holding the watched modules, reported at or after the
  // patch, in the order reported.
  struct Change {
    std::vector<int> segment;
    verify::TrendChange change;
  };
  std::vector<Change> changesSincePatch() const;

 private:
  std::vector<int> m_modules;  // the localised ones, ascending
  double m_patch_s = 0.0;
  int m_life = -1;
  std::vector<int> m_segment;
  std::vector<verify::ResidualPoint> m_points;
  verify::SegmentNoise m_noise;
  int m_new = 0;
  verify::TrendBuilder m_trend;
};

}  // namespace leakhunt::ops
