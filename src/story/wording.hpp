// How the story words what leakhunt concluded: durations, times and estimates with units.
#pragma once

#include <span>
#include <string>

#include "detect/detector.hpp"
#include "model/station.hpp"

namespace leakhunt::story {

// "2 h 13 min", "4.2 d": a duration a controller reads at a glance; "never", or "n/a".
std::string humanDuration(double seconds);
// "2018-08-29 20:00 UTC"
std::string humanTime(double unix_s);
// Rate with its 95 % band, hole, onset and reserve time of one estimate.
std::string describeEstimate(const detect::LeakReport& r);
// "zvezda, zarya, poisk"
std::string segmentText(const model::Station& station, std::span<const int> modules);

}  // namespace leakhunt::story
