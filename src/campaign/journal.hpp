// A campaign's results stream to disk as they come (JSON Lines, one finished run a line), so a
// campaign that is stopped (Ctrl-C, --stop-after, a killed job) resumes where it left off:
// the runs in the journal are read back instead of run again. Each MPI rank appends to its own
// part (PATH for rank 0, PATH.rank-R for rank R) and every part is read on resume, so a resumed
// campaign may use another number of ranks. The first line of each part names the plan it
// belongs to (a fingerprint of every planned scenario): a journal of another plan is refused.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "campaign/campaign.hpp"

namespace leakhunt::campaign {

// FNV-1a over every planned scenario, its truth and the detector settings of the spec.
std::string planFingerprint(const CampaignSpec& spec, const std::vector<PlannedRun>& plan);

// One finished run as one line of JSON (no newline). Every number round-trips exactly, so a
// resumed campaign summarises to the same figures. The telemetry's channel names are not kept.
std::string recordLine(std::size_t index, const RunRecord& record);
// Back from a line; `plan` supplies the planned run the index names.
Result<std::pair<std::size_t, RunRecord>> parseRecordLine(const std::string& line,
                                                          const std::vector<PlannedRun>& plan);

// The journal's part files that exist: PATH and PATH.rank-*.
std::vector<std::string> journalParts(const std::string& path);
// Removes every part (for --fresh).
void removeJournal(const std::string& path);

// The runs already done, from every part. An error if a part belongs to another plan or a line
// other than a part's last is damaged (a torn last line, from a killed process, is dropped).
Result<std::map<std::size_t, RunRecord>> loadJournal(const std::string& path,
                                                     const std::string& fingerprint,
                                                     const std::vector<PlannedRun>& plan);

// Appends this rank's finished runs to its part, one flushed line each.
class JournalWriter {
 public:
  static Result<std::unique_ptr<JournalWriter>> open(const std::string& path, int rank,
                                                     const std::string& fingerprint);
  Result<bool> append(std::size_t index, const RunRecord& record);
  const std::string& file() const { return m_file; }

 private:
  std::string m_file;
  std::ofstream m_out;
};

std::string journalPartPath(const std::string& path, int rank);

}  // namespace leakhunt::campaign
