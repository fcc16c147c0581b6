// When a segment's silence may be read as "no leak" (detect/segment_watch.hpp).
#include "detect/segment_watch.hpp"

#include <gtest/gtest.h>

namespace leakhunt::detect {
namespace {

SegmentStatus status(bool pressureSeen, double history_s, bool alarmed) {
  SegmentStatus s;
  s.pressureSeen = pressureSeen;
  s.history_s = history_s;
  s.needed_s = 3780.0;
  s.alarmed = alarmed;
  return s;
}

TEST(SegmentWatch, no_pressure_data_is_never_watched_even_with_history_or_an_alarm) {
  EXPECT_EQ(watchOf(status(false, 1e6, false)), SegmentWatch::NoPressureData);
  EXPECT_EQ(watchOf(status(false, 1e6, true)), SegmentWatch::NoPressureData);
}

TEST(SegmentWatch, too_little_history_is_not_watched_unless_it_alarmed) {
  EXPECT_EQ(watchOf(status(true, 3779.0, false)), SegmentWatch::TooShort);
  EXPECT_EQ(watchOf(status(true, 3780.0, false)), SegmentWatch::Watched);
  EXPECT_EQ(watchOf(status(true, 60.0, true)), SegmentWatch::Watched);
}

}  // namespace
}  // namespace leakhunt::detect
