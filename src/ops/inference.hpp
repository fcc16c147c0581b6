// The operations core run over a record after the fact (`leakhunt locate infer`, Python's
// `locate.infer`): every stretch of unchanged hatches and crew the log shows after the alarm is
// read as a test, and this is what the core concluded: its alarm, each window it read with the
// posterior after it, and how it ended (cornered, the next step it would propose, or no safe
// test). One function, so the command line and the Python module infer the same way.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "detect/logged_events.hpp"
#include "model/station.hpp"
#include "ops/events.hpp"
#include "ops/operations_core.hpp"
#include "ops/vacuum_watch.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::ops {

struct InferenceWindow {
  StepOutcome outcome;
  std::vector<ModuleProbability> posterior;  // after this window
};

struct Inference {
  std::optional<Alarm> alarm;
  double leakRate_kg_s = 0.0;  // read with: the given rate, else the alarm's
  std::vector<InferenceWindow> windows;
  std::vector<ModuleProbability> posterior;  // the last
  std::optional<ProposedStep> next;
  std::optional<Cornered> cornered;
  std::optional<NoSafeTest> noSafeTest;
  // Segments a hole emptied (issue 21, item 3): a window read there has nothing to lose.
  std::vector<EmptiedSegment> emptied;

  // The module most likely to hold the leak, or null before any posterior.
  const ModuleProbability* best() const;
  // The emptied segment holding `segment` when a window from `from_s` began at vacuum, or null.
  const EmptiedSegment* atVacuum(const std::vector<std::string>& segment, double from_s) const;
};

// `options.followLog` is set here. `channelNames` name the samples' channel codes.
Inference inferFromRecord(const model::Station& station,
                          const std::vector<std::string>& channelNames,
                          std::span<const telemetry::Sample> samples, detect::LoggedEvents log,
                          OperationsOptions options);

}  // namespace leakhunt::ops
