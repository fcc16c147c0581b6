// One entry of the station's log as the operations core takes it: a hatch operation, a crew
// move, a patch or a repress, with the entry types the detector already reads (Unix times,
// station indices). Never a scenario event: the core sees what the crew logged, not the world.
#pragma once

#include <variant>

#include "detect/logged_events.hpp"

namespace leakhunt::ops {

using LoggedAction = std::variant<detect::LoggedHatch, detect::LoggedCrewMove, detect::LoggedPatch,
                                  detect::LoggedRepress>;

// Unix time the action took effect (a repress: its start).
double timeOf(const LoggedAction& action);

// `log` with `action` added in time order.
void append(detect::LoggedEvents& log, const LoggedAction& action);

}  // namespace leakhunt::ops
