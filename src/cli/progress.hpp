// Progress on stderr for runs longer than a couple of seconds; silent for quick ones.
#pragma once

#include <chrono>
#include <string>

namespace leakhunt::cli {

class Progress {
 public:
  explicit Progress(std::string label);
  void update(double fraction);
  void finish();

 private:
  std::string m_label;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_last;
  bool m_shown = false;
};

}  // namespace leakhunt::cli
