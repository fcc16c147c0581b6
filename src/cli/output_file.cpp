#include "cli/output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

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

namespace {

bool sameFile(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return !ec && ca == cb;
}

}  // namespace

Result<bool> checkOutputsAreNew(const std::vector<NamedPath>& inputs,
                                const std::vector<NamedPath>& outputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& [what, path] = outputs[i];
    if (path.empty()) continue;
    for (const auto& [inputWhat, input] : inputs)
      if (!input.empty() && sameFile(path, input))
        return Error{what + " '" + path + "' is " + inputWhat + " ('" + input +
                     "'): writing it would destroy the input. Give " + what +
                     " another path; nothing was written"};
    for (std::size_t j = 0; j < i; ++j)
      if (!outputs[j].second.empty() && sameFile(path, outputs[j].second))
        return Error{what + " and " + outputs[j].first + " are the same file ('" + path +
                     "'): give each output its own path; nothing was written"};
  }
  return true;
}

}  // namespace leakhunt::cli
