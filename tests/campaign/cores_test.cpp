// The campaign's default thread count comes from the CPU affinity mask (issue 15): under
// mpirun, Open MPI binds each rank to one core, and two threads on it ran at half speed.
#include "campaign/cores.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

namespace leakhunt::campaign {
namespace {

TEST(Cores, a_bound_process_runs_one_thread_per_core_it_is_bound_to) {
  EXPECT_EQ(shareOf(1, 2, 1).threads, 1);  // mpirun -np 1 binds to a core
  EXPECT_EQ(shareOf(1, 8, 4).threads, 1);  // each rank on its own core
  EXPECT_EQ(shareOf(2, 8, 1).threads, 2);  // bound to two cores (taskset, --cpus-per-rank 2)
}

TEST(Cores, an_unbound_process_shares_the_machine_with_the_ranks_on_its_node) {
  EXPECT_EQ(shareOf(2, 2, 1).threads, 2);
  EXPECT_EQ(shareOf(8, 8, 2).threads, 4);
  EXPECT_EQ(shareOf(2, 2, 4).threads, 1);  // never none
  EXPECT_EQ(shareOf(0, 0, 0).threads, 1);  // nothing known: one thread
}

TEST(Cores, the_progress_line_says_where_the_count_comes_from) {
  EXPECT_EQ(shareOf(1, 2, 1).describe(),
            "1 thread: 1 of 2 cores in this process's CPU affinity mask");
  EXPECT_EQ(shareOf(2, 2, 1).describe(),
            "2 threads: 2 of 2 cores in this process's CPU affinity mask");
}

// The count is read from the mask: bind this thread to one CPU, as mpirun binds a rank, and
// the default becomes one thread however many the machine has.
TEST(Cores, the_mask_is_read_not_the_hardware_count) {
  cpu_set_t before;
  CPU_ZERO(&before);
  ASSERT_EQ(sched_getaffinity(0, sizeof before, &before), 0);
  EXPECT_EQ(usableCores(), CPU_COUNT(&before));
  int first = -1;
  for (int c = 0; c < CPU_SETSIZE && first < 0; ++c)
    if (CPU_ISSET(c, &before)) first = c;
  ASSERT_GE(first, 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  const int usable = usableCores();
  const CoreShare share = defaultShare(1);
  ASSERT_EQ(sched_setaffinity(0, sizeof before, &before), 0);
  EXPECT_EQ(usable, 1);
  EXPECT_EQ(share.threads, 1);
  EXPECT_EQ(share.machine, std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace leakhunt::campaign
