// The verify, onset and trend commands on telemetry the simulator writes (a 1 mm hole in the
// two-module article, opened at 04:00 and patched at 06:00): what the JSON says, and clear
// errors at the boundary.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "telemetry/telemetry_io.hpp"

namespace leakhunt::verify {
namespace {

const std::string kSource = LEAKHUNT_SOURCE_DIR;
const std::string kStation = kSource + "/data/stations/two-module.yaml";
const std::string kScenario = kSource + "/tests/verify/data/two-module-patch.yaml";

std::string run(const std::string& args, int& rc, bool withStderr = true) {
  const std::string cmd =
      std::string(LEAKHUNT_BINARY) + " " + args + (withStderr ? " 2>&1" : " 2>/dev/null");
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p.get()) != nullptr) out += buf;
  rc = pclose(p.release());
  return out;
}

class Commands : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    telemetry_ = (std::filesystem::temp_directory_path() /
                  ("leakhunt-verify-" + std::to_string(::getpid()) + ".csv"))
                     .string();
    int rc = 0;
    const std::string out = run("simulate " + kScenario + " -o " + telemetry_, rc);
    ASSERT_EQ(rc, 0) << out;
  }
  static void TearDownTestSuite() { std::filesystem::remove(telemetry_); }
  static nlohmann::json json(const std::string& args) {
    int rc = 0;
    const std::string out = run(args + " --json", rc, false);
    EXPECT_EQ(rc, 0) << out;
    return nlohmann::json::parse(out);
  }
  static double at(const std::string& iso) { return *telemetry::parseTime(iso); }
  static std::string telemetry_;
};
std::string Commands::telemetry_;

TEST_F(Commands, onset_finds_the_step_and_its_interval_covers_it) {
  const nlohmann::json j = json("onset " + kStation + " " + telemetry_ + " --events " + kScenario);
  ASSERT_GE(j["leaks"].size(), 1u);
  const nlohmann::json& leak = j["leaks"][0];
  EXPECT_EQ(leak["profile"], "step");
  const double truth = at("2018-08-29T04:00:00Z");
  EXPECT_LE(at(leak["onset_interval"][0]), truth);
  EXPECT_GE(at(leak["onset_interval"][1]), truth);
  EXPECT_EQ(leak["evidence"].size(), 3u);
}

TEST_F(Commands, verify_after_the_patch_bounds_a_zero_leak_and_before_it_sees_the_hole) {
  const nlohmann::json after =
      json("verify " + kStation + " " + telemetry_ + " --since 2018-08-29T06:10:00Z");
  ASSERT_EQ(after["segments"].size(), 1u);
  const nlohmann::json& s = after["segments"][0];
  EXPECT_GE(s["upper_bound_kg_s"].get<double>(), 0.0);
  EXPECT_NE(s["verdict"], "not_met");
  EXPECT_TRUE(s.contains("watch_more_s"));
  const nlohmann::json before =
      json("verify " + kStation + " " + telemetry_ + " --since 2018-08-29T04:10:00Z");
  EXPECT_EQ(before["segments"][0]["verdict"], "not_met");  // the hole until 06:00
}

TEST_F(Commands, trend_hourly_sees_the_hole_only_while_it_is_open) {
  const nlohmann::json j = json("trend " + kStation + " " + telemetry_ + " --period '1 h'");
  ASSERT_EQ(j["segments"].size(), 1u);
  for (const nlohmann::json& p : j["segments"][0]["periods"]) {
    if (!p["usable"].get<bool>()) continue;
    const double start = at(p["start"]);
    const double rate = p["leak_rate_kg_s"].get<double>() * 86400.0;  // kg/day; the hole ~11 kg/day
    if (start >= at("2018-08-29T04:00:00Z") && start < at("2018-08-29T06:00:00Z"))
      EXPECT_GT(rate, 8.0) << p;
    else
      EXPECT_LT(std::abs(rate), 3.0) << p;
  }
}

TEST_F(Commands, trend_reads_a_daily_summary_and_reports_its_step) {
  const std::string summary = telemetry_ + ".daily.csv";
  {
    FILE* f = std::fopen(summary.c_str(), "w");
    std::fputs("period_start,rate_kg_s,rate_sigma_kg_s\n", f);
    // 30 days at 0.1 kg/day (+-0.05 alternating), then 30 at 3 kg/day: the patch failed on day 30.
    for (int d = 0; d < 60; ++d) {
      const double rate = (d < 30 ? 0.1 : 3.0) / 86400.0 + (d % 2 == 0 ? 0.05 : -0.05) / 86400.0;
      std::fprintf(f, "%s,%.10g,%.3g\n", telemetry::formatTime(1535760000.0 + d * 86400.0).c_str(),
                   rate, 0.05 / 86400.0);
    }
    std::fclose(f);
  }
  const nlohmann::json j = json("trend " + kStation + " " + summary);
  std::filesystem::remove(summary);
  ASSERT_EQ(j["segments"].size(), 1u);
  const nlohmann::json& changes = j["segments"][0]["changes"];
  ASSERT_EQ(changes.size(), 1u) << changes;
  const double day30 = 1535760000.0 + 30 * 86400.0;
  EXPECT_LE(at(changes[0]["time_interval"][0]), day30);
  EXPECT_GE(at(changes[0]["time_interval"][1]), day30);
  EXPECT_NEAR(changes[0]["change_kg_s"].get<double>() * 86400.0, 2.9, 0.1);
}

TEST_F(Commands, bad_input_is_a_clear_error_not_a_crash) {
  int rc = 0;
  std::string out = run("verify " + kStation + " " + telemetry_ + " --since yesterday", rc);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("--since"), std::string::npos) << out;
  out = run("trend " + kStation + " /nonexistent/tm.csv", rc);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("/nonexistent/tm.csv"), std::string::npos) << out;
  const std::string summary = telemetry_ + ".summary.csv";
  {
    FILE* f = std::fopen(summary.c_str(), "w");
    std::fputs("period_start,rate_kg_s,rate_sigma_kg_s\n2018-09-01T00:00:00Z,1e-6,x\n", f);
    std::fclose(f);
  }
  out = run("trend " + kStation + " " + summary, rc);
  std::filesystem::remove(summary);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find(":2:"), std::string::npos) << out;  // file:line
}

// The daily summary is read by the telemetry's CSV tokenizer (one CSV reader): quoted fields
// are CSV, and a line with a field too many is named by file and line.
TEST_F(Commands, a_daily_summary_is_csv_by_the_one_tokenizer) {
  const std::string summary = telemetry_ + ".quoted.csv";
  const auto write = [&](const char* text) {
    FILE* f = std::fopen(summary.c_str(), "w");
    std::fputs(text, f);
    std::fclose(f);
  };
  write(
      "period_start,rate_kg_s,rate_sigma_kg_s\n\"2018-09-01T00:00:00Z\", 1e-6 ,1e-7\n"
      "2018-09-02T00:00:00Z,2e-6,1e-7\n2018-09-03T00:00:00Z,3e-6,1e-7\n");
  const nlohmann::json j = json("trend " + kStation + " " + summary);
  ASSERT_EQ(j["segments"].size(), 1u);
  ASSERT_EQ(j["segments"][0]["periods"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["segments"][0]["periods"][0]["leak_rate_kg_s"].get<double>(), 1e-6);
  write(
      "period_start,rate_kg_s,rate_sigma_kg_s\n2018-09-01T00:00:00Z,1e-6,1e-7\n"
      "2018-09-02T00:00:00Z,2e-6,1e-7,9\n");
  int rc = 0;
  const std::string out = run("trend " + kStation + " " + summary, rc);
  std::filesystem::remove(summary);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find(":3: expected 3 fields"), std::string::npos) << out;
}

}  // namespace
}  // namespace leakhunt::verify
