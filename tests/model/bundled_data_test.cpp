// Every station and scenario shipped under data/ must pass `check` without a single error.
// (data/campaigns holds Monte Carlo specs, a different format read by `campaign`.)
#include <gtest/gtest.h>

#include <filesystem>

#include "check_helpers.hpp"

namespace leakhunt::model {
namespace {

std::vector<std::filesystem::path> bundledFiles() {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path data = std::filesystem::path(LEAKHUNT_SOURCE_DIR) / "data";
  for (const char* kind : {"stations", "scenarios"}) {
    if (!std::filesystem::exists(data / kind)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(data / kind)) {
      const auto ext = entry.path().extension();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
        files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(BundledData, every_file_under_data_checks_without_errors) {
  const auto files = bundledFiles();
  ASSERT_GE(files.size(), 7u) << "no .yaml files under " << LEAKHUNT_SOURCE_DIR << "/data";
  for (const auto& file : files) {
    const CheckReport report = checkDescription(file.string());
    EXPECT_EQ(report.errorCount(), 0) << file << testing::listing(report.diagnostics);
  }
}

}  // namespace
}  // namespace leakhunt::model
