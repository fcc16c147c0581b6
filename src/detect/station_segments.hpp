// The station's segments for a set of open hatches, and the log's hatch operations and crew
// moves applied as the blocks go by: one home for both detectors (detector.cpp and
// books_detector.cpp each had a copy; duplicates finding D2). No I/O.
#pragma once

#include <cstddef>
#include <vector>

#include "detect/logged_events.hpp"
#include "model/station.hpp"
#include "network/segments.hpp"

namespace leakhunt::detect {

// The segments of `station` with hatch h open where open[h] (Station::hatches order); a hatch
// naming a module the station lacks joins nothing. Numbered as network::segmentsOf numbers.
network::Segmentation segmentsOf(const model::Station& station, const std::vector<bool>& open);

// The segments of `station` with its hatches as the station file declares them (`open:`).
network::Segmentation declaredSegments(const model::Station& station);

// How far a detector has read the log.
struct LogCursor {
  std::size_t hatch = 0, crewMove = 0;
};

// Applies the logged hatch operations and crew moves before `until_s`, from `cursor` on, to
// `hatchOpen` (per Station::hatches) and `crewModule` (per Station::crew); entries naming a
// hatch or crew member out of range are skipped. True when a hatch changed state.
bool applyLogged(const LoggedEvents& log, double until_s, LogCursor& cursor,
                 std::vector<bool>& hatchOpen, std::vector<int>& crewModule);

}  // namespace leakhunt::detect
