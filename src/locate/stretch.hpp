// A stretch of time under one hatch configuration and one placing of the crew: what the drill
// and the inference read each segment's loss over.
#pragma once

#include "locate/configuration.hpp"
#include "locate/safety.hpp"

namespace leakhunt::locate {

struct Stretch {
  HatchSet open;
  CrewPlaces crew;
  double from_s = 0.0, to_s = 0.0;  // any common time base
};

}  // namespace leakhunt::locate
