#include "campaign/distributed.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace leakhunt::campaign {

bool launchedByMpiLauncher() {
  // Open MPI's mpirun, PMIx launchers (srun, prterun) and the PMI-1/2 family (MPICH, Slurm).
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

MpiSession::MpiSession(bool use) {
  if (!use) return;
  int provided = 0;
  // Only the main thread talks to MPI; the worker threads only simulate.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  m_active = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &m_size);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, m_rank, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &m_local);
  MPI_Comm_free(&node);
}

MpiSession::~MpiSession() {
  if (m_active) MPI_Finalize();
}

bool MpiSession::allAgree(bool ok) const {
  if (!m_active) return ok;
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

long long MpiSession::sum(long long mine) const {
  if (!m_active) return mine;
  long long all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  return all;
}

std::vector<std::string> MpiSession::gatherToRoot(const std::string& mine) const {
  if (!m_active) return {mine};
  // Sizes first, then the bytes; a rank's text is far below 2 GiB (a line per run).
  const int length = static_cast<int>(mine.size());
  std::vector<int> lengths(m_rank == 0 ? static_cast<std::size_t>(m_size) : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(lengths.size(), 0);
  if (m_rank == 0) std::exclusive_scan(lengths.begin(), lengths.end(), offsets.begin(), 0);
  std::string all(m_rank == 0 ? static_cast<std::size_t>(offsets.back() + lengths.back()) : 0,
                  '\0');
  MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR,
              0, MPI_COMM_WORLD);
  std::vector<std::string> texts;
  for (std::size_t r = 0; r < lengths.size(); ++r)
    texts.push_back(
        all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r])));
  return texts;
}

std::string MpiSession::broadcast(const std::string& fromRoot) const {
  if (!m_active) return fromRoot;
  long long length = static_cast<long long>(fromRoot.size());
  MPI_Bcast(&length, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  std::string text = m_rank == 0 ? fromRoot : std::string(static_cast<std::size_t>(length), '\0');
  MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
  return text;
}

void MpiSession::abort(int code) const {
  if (m_active) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

std::vector<std::size_t> shareOf(const std::vector<PlannedRun>& plan,
                                 const std::vector<std::size_t>& todo, int rank, int ranks) {
  if (ranks <= 1) return todo;
  std::vector<std::size_t> order = todo;
  // Longest first; ties by index so the split does not depend on the sort's stability.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (plan[a].duration_s != plan[b].duration_s) return plan[a].duration_s > plan[b].duration_s;
    return a < b;
  });
  std::vector<double> load(static_cast<std::size_t>(ranks), 0.0);
  std::vector<std::size_t> mine;
  for (std::size_t i : order) {
    const auto least =
        static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[least] += plan[i].duration_s;
    if (static_cast<int>(least) == rank) mine.push_back(i);
  }
  return mine;
}

}  // namespace leakhunt::campaign
