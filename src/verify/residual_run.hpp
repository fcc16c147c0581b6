// Glue shared by verify, trend and onset: a run of the residual tap over telemetry sources
// (the logged events come from the harness's scenario log, harness/scenario_log.hpp). The sources
// are injected (a file reader in the CLI, a simulator or an in-memory stream in tests and
// benchmarks), so this core reads no telemetry itself.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "detect/logged_events.hpp"
#include "verify/residual_tap.hpp"

namespace leakhunt::verify {

using SampleCallback = std::function<void(const telemetry::Sample&)>;
// Delivers samples in time order, interning channel names into the table; an error stops it.
using TelemetrySource =
    std::function<Result<std::size_t>(telemetry::ChannelTable&, const SampleCallback&)>;

// Runs every source in turn through one ResidualTap (one detector: months split over several
// files stay one history). Returns the number of samples read.
Result<std::size_t> runResiduals(const model::Station& station, const detect::LoggedEvents& log,
                                 const std::vector<TelemetrySource>& sources, ResidualSink& sink,
                                 detect::DetectionObserver* observer = nullptr,
                                 detect::DetectorOptions options = detect::DetectorOptions{});

}  // namespace leakhunt::verify
