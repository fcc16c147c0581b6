#include "cli/output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace leakhunt::cli {

OutputFile::OutputFile(std::string path)
    : m_path(std::move(path)), m_temporary(m_path + ".tmp." + std::to_string(::getpid())) {}

OutputFile::~OutputFile() {
  if (!m_committed) {
    m_out.close();
    std::remove(m_temporary.c_str());
  }
}

Result<bool> OutputFile::open() {
  m_out.open(m_temporary, std::ios::binary | std::ios::trunc);
  if (!m_out) return Error{"cannot write '" + m_path + "': " + std::strerror(errno)};
  return true;
}

Result<bool> OutputFile::commit() {
  m_out.flush();
  const bool good = static_cast<bool>(m_out);
  m_out.close();
  if (!good) return Error{"writing '" + m_path + "' failed (disk full?)"};
  if (std::rename(m_temporary.c_str(), m_path.c_str()) != 0)
    return Error{"cannot rename into '" + m_path + "': " + std::strerror(errno)};
  m_committed = true;
  return true;
}

}  // namespace leakhunt::cli
