#include "cli/output_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace leakhunt::cli {
namespace {

// The temporaries a signal handler must remove: fixed storage, since a handler may only call
// async-signal-safe functions (unlink, signal, raise) and read lock-free atomics.
constexpr int kSignalSlots = 8;
constexpr std::size_t kSlotPathBytes = 4096;
struct SignalSlot {
  std::atomic<bool> used{false};
  char path[kSlotPathBytes] = {};
};
SignalSlot g_slots[kSignalSlots];
std::atomic<bool> g_claiming{false};

extern "C" void removeTemporariesAndDie(int signal) {
  for (SignalSlot& slot : g_slots)
    if (slot.used.load(std::memory_order_acquire)) ::unlink(slot.path);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

int claimSlot(const std::string& path) {
  std::error_code ec;
  const std::string absolute = std::filesystem::absolute(path, ec).string();
  if (ec || absolute.size() >= kSlotPathBytes) return -1;
  while (g_claiming.exchange(true, std::memory_order_acquire)) {
  }
  int found = -1;
  for (int i = 0; i < kSignalSlots && found < 0; ++i)
    if (!g_slots[i].used.load(std::memory_order_relaxed)) found = i;
  if (found >= 0) {
    std::memcpy(g_slots[found].path, absolute.c_str(), absolute.size() + 1);
    g_slots[found].used.store(true, std::memory_order_release);
  }
  g_claiming.store(false, std::memory_order_release);
  return found;
}

void releaseSlot(int& slot) {
  if (slot >= 0) g_slots[slot].used.store(false, std::memory_order_release);
  slot = -1;
}

}  // namespace

void removeTemporariesOnSignals() {
  static_assert(std::atomic<bool>::is_always_lock_free);
  struct sigaction action {};
  action.sa_handler = removeTemporariesAndDie;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

OutputFile::OutputFile(std::string path)
    : m_path(std::move(path)), m_temporary(m_path + ".tmp." + std::to_string(::getpid())) {}

OutputFile::~OutputFile() {
  if (!m_committed) {
    m_out.close();
    std::remove(m_temporary.c_str());
  }
  releaseSlot(m_signalSlot);
}

Result<bool> OutputFile::open() {
  // Claimed before the file exists: a signal between creating it and claiming the slot would
  // leave it behind (ASan's slower run showed that window). Unlinking a file not yet made is
  // harmless.
  m_signalSlot = claimSlot(m_temporary);
  m_out.open(m_temporary, std::ios::binary | std::ios::trunc);
  if (!m_out) {
    const int error = errno;
    releaseSlot(m_signalSlot);
    return Error{"cannot write '" + m_path + "': " + std::strerror(error)};
  }
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
  releaseSlot(m_signalSlot);  // a signal now must not remove what is no longer a temporary
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
