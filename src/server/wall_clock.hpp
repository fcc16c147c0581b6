// UTC now [Unix s] from the system clock: the wall time the archive stamps on its records, and
// the station's clock when no other is given (CoreOptions::wallClock).
#pragma once

#include <chrono>

namespace leakhunt::server {

inline double wallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace leakhunt::server
