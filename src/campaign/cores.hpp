// How many worker threads a campaign starts by default: the cores this process may run on (its
// CPU affinity mask), not the machine's. Under mpirun, Open MPI binds each rank to its own core
// by default, so a rank that started one thread per hardware thread ran them all on one core
// (issue 15: 40.0 s with 2 threads under one rank, 20.3 s on 2 ranks).
#pragma once

#include <string>

namespace leakhunt::campaign {

struct CoreShare {
  int usable = 1;   // CPUs in this process's affinity mask
  int machine = 1;  // the machine's hardware threads
  int threads = 1;  // worker threads to start
  // "1 thread: 1 of 2 cores in this process's CPU affinity mask"
  std::string describe() const;
};

// CPUs in the calling thread's affinity mask (sched_getaffinity), at least 1.
int usableCores();

// The default share: a process bound to fewer CPUs than the machine has (mpirun's binding,
// taskset) runs one thread per CPU it is bound to; an unbound one shares the machine with the
// other ranks on its node.
CoreShare shareOf(int usable, int machine, int ranksOnThisNode);
CoreShare defaultShare(int ranksOnThisNode);

}  // namespace leakhunt::campaign
