// After the run, and only then: leakhunt's answers put beside the simulator's truth. This is
// the one place in the story that reads the hidden leaks for judging; everything told before
// it (timeline, alarms, the table beside the record) is leakhunt's own.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "report/report.hpp"

namespace leakhunt::story {

// The share of a hidden leak's full CdA open at `t_s` (since the scenario start), from its
// onset profile and the patches the world applied to it (residual, then a linear regrowth).
double openShare(const model::Scenario& world, const std::string& leakId, double t_s);

struct AlarmVerdict {
  bool trueAlarm = false;
  std::string why;  // "hole-1 in soyuz-ms09-om open (100 % of its area)", "no open hole ..."
};

// An alarm is true when a hidden hole in one of its segment's modules is open to at least
// `minShare` of its full area at the alarm time (a patch holding it below that, or no hole at
// all in the segment, makes the alarm false).
AlarmVerdict judgeAlarm(const model::Scenario& world, const std::vector<int>& segment,
                        double alarm_s, double minShare = 0.01);

}  // namespace leakhunt::story
