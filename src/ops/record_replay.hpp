// The operations core run over a record: telemetry already taken and the station's log, fed to
// the core in time order (each log entry before the first sample after it), then finished.
// `locate infer` runs it with OperationsOptions::followLog, so the crew's own hatch closures
// are the steps the core reads.
#pragma once

#include <span>

#include "detect/logged_events.hpp"
#include "ops/operations_core.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::ops {

// `samples` in time order; `log` entries at or after the core's start.
void replayRecord(OperationsCore& core, std::span<const telemetry::Sample> samples,
                  const detect::LoggedEvents& log);

}  // namespace leakhunt::ops
