// Output files are written to a temporary beside the target and renamed into place when
// complete, so a failed run never leaves a half-written file behind.
#pragma once

#include <fstream>
#include <string>

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
};

}  // namespace leakhunt::cli
