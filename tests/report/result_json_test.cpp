// The one rendering of each result type (issue 16): the same estimate written for the command
// line (ISO times) and for the server (ms under keys ending _ms) differs only in its times, and
// JSON never carries an infinity (a reserve that is never reached is null).
#include "report/result_json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using leakhunt::report::Times;

leakhunt::detect::LeakReport estimate() {
  leakhunt::detect::LeakReport r;
  r.alarmTime_s = 1535572800.0;  // 2018-08-29T20:00:00Z
  r.time_s = r.alarmTime_s + 600.0;
  r.onsetTime_s = r.alarmTime_s - 300.0;
  r.onsetLow_s = r.onsetTime_s - 60.0;
  r.onsetHigh_s = r.onsetTime_s + 60.0;
  r.rate_kg_s = 4.4e-4;
  r.rateSigma_kg_s = 1e-5;
  r.reserveTime_s = 6e4;
  r.reserveTimeWithRepress_s = std::numeric_limits<double>::infinity();
  return r;
}

TEST(ResultJson, an_estimate_differs_between_the_command_line_and_the_server_only_in_its_times) {
  const auto iso = leakhunt::report::leakEstimateJson(estimate(), {"a", "b"}, Times::Iso);
  const auto ms = leakhunt::report::leakEstimateJson(estimate(), {"a", "b"}, Times::UnixMs);
  ASSERT_EQ(iso.size(), ms.size());
  EXPECT_EQ(iso["alarm_time"], "2018-08-29T20:00:00.000Z");
  EXPECT_DOUBLE_EQ(ms["alarm_time_ms"].get<double>(), 1535572800000.0);
  EXPECT_DOUBLE_EQ(ms["onset_interval_ms"][1].get<double>(), (1535572800.0 - 240.0) * 1000.0);
  EXPECT_EQ(iso["estimate_time"], "2018-08-29T20:10:00.000Z");
  for (const auto& [key, value] : iso.items()) {
    const bool time = key == "alarm_time" || key == "onset_time" || key == "onset_interval" ||
                      key == "estimate_time";
    const std::string other = time ? key + "_ms" : key;
    ASSERT_TRUE(ms.contains(other)) << key;
    if (!time) {
      EXPECT_EQ(ms[other], value) << key;
    }
  }
  EXPECT_TRUE(iso["reserve_time_with_repress_s"].is_null());
  EXPECT_DOUBLE_EQ(iso["reserve_time_s"].get<double>(), 6e4);
  EXPECT_EQ(iso["segment"], nlohmann::ordered_json::array({"a", "b"}));
}

TEST(ResultJson, a_verdict_still_to_watch_for_ever_writes_null_not_infinity) {
  leakhunt::verify::VerifyResult r;
  r.verdict = leakhunt::verify::Verdict::Undecided;
  r.watchTotal_s = std::numeric_limits<double>::infinity();
  r.watchMore_s = std::numeric_limits<double>::infinity();
  const auto j = leakhunt::report::repairVerdictJson(r);
  EXPECT_EQ(j["verdict"], "undecided");
  EXPECT_FALSE(j["target_met"].get<bool>());
  EXPECT_TRUE(j["watch_total_s"].is_null());
  EXPECT_TRUE(j["watch_more_s"].is_null());
  EXPECT_NO_THROW((void)j.dump());
}

}  // namespace
