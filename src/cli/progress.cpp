#include "cli/progress.hpp"

#include <fmt/core.h>

namespace leakhunt::cli {

Progress::Progress(std::string label)
    : m_label(std::move(label)), m_start(std::chrono::steady_clock::now()), m_last(m_start) {}

void Progress::update(double fraction) {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - m_start).count();
  if (elapsed < 2.0 || std::chrono::duration<double>(now - m_last).count() < 1.0) return;
  m_last = now;
  m_shown = true;
  const double remaining = fraction > 0.0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
  fmt::print(stderr, "\r{}: {:5.1f} % ({:.0f} s elapsed, about {:.0f} s left)   ", m_label,
             100.0 * fraction, elapsed, remaining);
}

void Progress::finish() {
  if (m_shown) fmt::print(stderr, "\n");
}

}  // namespace leakhunt::cli
