#include "campaign/cores.hpp"

#include <sched.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace leakhunt::campaign {

int usableCores() {
  // A mask large enough for any machine (CPU_ALLOC); the fixed cpu_set_t stops at 1024 CPUs.
  for (int cpus = 1024; cpus <= 1 << 16; cpus *= 4) {
    cpu_set_t* set = CPU_ALLOC(static_cast<std::size_t>(cpus));
    const std::size_t size = CPU_ALLOC_SIZE(static_cast<std::size_t>(cpus));
    CPU_ZERO_S(size, set);
    const int ok = sched_getaffinity(0, size, set);
    const int count = ok == 0 ? CPU_COUNT_S(size, set) : 0;
    CPU_FREE(set);
    if (ok == 0) return std::max(1, count);
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

CoreShare shareOf(int usable, int machine, int ranksOnThisNode) {
  CoreShare s;
  s.usable = std::max(1, usable);
  s.machine = std::max(s.usable, machine);
  const bool bound = s.usable < s.machine;
  s.threads = bound ? s.usable : std::max(1, s.usable / std::max(1, ranksOnThisNode));
  return s;
}

CoreShare defaultShare(int ranksOnThisNode) {
  return shareOf(usableCores(), static_cast<int>(std::thread::hardware_concurrency()),
                 ranksOnThisNode);
}

std::string CoreShare::describe() const {
  return std::to_string(threads) + (threads == 1 ? " thread: " : " threads: ") +
         std::to_string(usable) + " of " + std::to_string(machine) +
         (machine == 1 ? " core" : " cores") + " in this process's CPU affinity mask";
}

}  // namespace leakhunt::campaign
