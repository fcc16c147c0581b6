// Output files are written to a temporary beside the target and renamed into place when
// complete, so a failed run never leaves a half-written file behind; nor does a run stopped by
// SIGINT or SIGTERM, once removeTemporariesOnSignals() is called (Ctrl-C once left 890 MB of
// `*.csv.tmp.PID` behind).
#pragma once

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace leakhunt::cli {

class OutputFile {
 public:
  explicit OutputFile(std::string path);
  ~OutputFile();  // removes the temporary unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  Result<bool> open();
  std::ostream& stream() { return m_out; }
  Result<bool> commit();  // flush, close, rename into place

 private:
  std::string m_path;
  std::string m_temporary;
  std::ofstream m_out;
  bool m_committed = false;
  int m_signalSlot = -1;  // where the signal handler finds the temporary's name
};

// Installs SIGINT and SIGTERM handlers that remove every open OutputFile's temporary and then
// die of the signal as before (exit status 128 + signal). For commands that have no handler of
// their own (campaign stops gracefully instead, and its destructors clean up).
void removeTemporariesOnSignals();

// A file named for the user: what it is ("the scenario", "-o") and its path as given.
using NamedPath = std::pair<std::string, std::string>;

// Refuses a run whose output would replace one of its inputs or another of its outputs
// (`simulate s.yaml -o s.yaml` once replaced the scenario and exited 0). Files are compared as
// files, not as text: `./s.yaml`, a symlink and a hard link to it are all the scenario.
Result<bool> checkOutputsAreNew(const std::vector<NamedPath>& inputs,
                                const std::vector<NamedPath>& outputs);

}  // namespace leakhunt::cli
