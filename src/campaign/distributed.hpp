// Splitting a campaign across the ranks of an MPI job (Open MPI): every rank plans the same
// runs from the spec, takes its share, runs it on its own threads and sends what it ran to rank
// 0, which summarises. MPI is started only when the process was launched by mpirun (or another
// MPI launcher), and only by the campaign command: a plain `leakhunt campaign`, and every other
// command, never touch MPI.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "campaign/campaign.hpp"

namespace leakhunt::campaign {

// True when an MPI launcher started this process (its environment says so).
bool launchedByMpiLauncher();

// MPI for the lifetime of the object when `use` is set; a single rank otherwise.
class MpiSession {
 public:
  explicit MpiSession(bool use);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  bool active() const { return m_active; }
  int rank() const { return m_rank; }
  int size() const { return m_size; }
  int ranksOnThisNode() const { return m_local; }

  // True on every rank when `ok` holds on every rank (so no rank waits on one that gave up).
  bool allAgree(bool ok) const;
  // Every rank's text, on rank 0 in rank order (empty elsewhere).
  std::vector<std::string> gatherToRoot(const std::string& mine) const;
  // Rank 0's text, on every rank.
  std::string broadcast(const std::string& fromRoot) const;
  // The sum over ranks, on every rank.
  long long sum(long long mine) const;
  // Ends the whole job (after a rank failed where the others cannot learn it).
  [[noreturn]] void abort(int code) const;

 private:
  bool m_active = false;
  int m_rank = 0, m_size = 1, m_local = 1;
};

// This rank's share of `todo`: longest planned runs first, each to the rank with the least
// planned simulated time so far (deterministic, so every rank computes the same split).
std::vector<std::size_t> shareOf(const std::vector<PlannedRun>& plan,
                                 const std::vector<std::size_t>& todo, int rank, int ranks);

}  // namespace leakhunt::campaign
