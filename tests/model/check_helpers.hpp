// Helpers for tests that feed YAML text to the checker and look for one message.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "model/load.hpp"

namespace leakhunt::model::testing {

// Raw string literals start with a newline for readability; line 1 is the next line.
inline std::string yaml(std::string_view text) {
  if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  return std::string(text);
}

inline std::vector<Diagnostic> check(const std::string& text, const std::string& baseDir = "") {
  return checkText(text, "t.yaml", baseDir).diagnostics;
}

inline std::string listing(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += "\n  " + format(d);
  return out.empty() ? " (none)" : out;
}

// One diagnostic of that severity on `line` whose message contains `phrase`.
inline ::testing::AssertionResult reports(const std::vector<Diagnostic>& diagnostics, int line,
                                          std::string_view phrase,
                                          Diagnostic::Severity severity = Diagnostic::Error) {
  for (const auto& d : diagnostics) {
    if (d.where.line == line && d.severity == severity &&
        d.message.find(phrase) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure()
         << "no " << (severity == Diagnostic::Error ? "error" : "warning") << " on line " << line
         << " containing '" << phrase << "'; got:" << listing(diagnostics);
}

inline int errors(const std::vector<Diagnostic>& diagnostics) {
  int n = 0;
  for (const auto& d : diagnostics) n += d.severity == Diagnostic::Error ? 1 : 0;
  return n;
}

inline int warnings(const std::vector<Diagnostic>& diagnostics) {
  return static_cast<int>(diagnostics.size()) - errors(diagnostics);
}

}  // namespace leakhunt::model::testing
