// `leakhunt demo --short` end to end, as CI runs it: the summary says what the story needs
// (alarm, the leak's segment, patch, regrowth caught), lists every alarm and judges each only
// beside the truth, the report's timeline is in time order and holds every figure, and
// headless Chromium renders the page to something that is not blank.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "model/load.hpp"
#include "report/report.hpp"
#include "story_checks.hpp"

namespace {

struct Ran {
  int status = -1;
  std::string out;
};

Ran run(const std::string& command) {
  Ran r;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe)) r.out += buffer.data();
  r.status = pclose(pipe);
  return r;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class Demo : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder = std::filesystem::path(testing::TempDir()) / "leakhunt-demo-test";
    std::filesystem::remove_all(folder);
    const Ran r = run(std::string("cd ") + LEAKHUNT_SOURCE_DIR + " && " + LEAKHUNT_BINARY +
                      " demo --short --json --out " + folder.string() + " 2>/dev/null");
    status = r.status;
    try {
      summary = nlohmann::json::parse(r.out);
    } catch (const std::exception& e) {
      parseError = std::string(e.what()) + "\n" + r.out;
    }
  }
  static inline std::filesystem::path folder;
  static inline int status = -1;
  static inline nlohmann::json summary;
  static inline std::string parseError;
};

TEST_F(Demo, SummaryTellsTheStory) {
  ASSERT_EQ(status, 0);
  ASSERT_TRUE(parseError.empty()) << parseError;
  const nlohmann::json& truth = summary["beside_truth"];
  EXPECT_EQ(truth["leak_module"], "soyuz-ms09-om");
  ASSERT_TRUE(summary["alarm_raised"].get<bool>());
  // The alarm acted on: raised after the hole opened, within the hour, in a segment that holds
  // the leaking module.
  EXPECT_GT(truth["time_to_alarm_s"].get<double>(), 0.0);
  EXPECT_LT(truth["time_to_alarm_s"].get<double>(), 3600.0);
  bool holds = false;
  for (const auto& m : summary["alarm_segment"]) holds = holds || m == "soyuz-ms09-om";
  EXPECT_TRUE(holds);
  // The scenario's hole is 2 mm at Cd 0.32 (the record's rate,
  // data/scenarios/soyuz-ms09-2018.yaml). The detector sizes at Cd 0.65, so its 95 % interval must
  // hold the hole of the same effective area at Cd 0.65: 2 mm x sqrt(0.32 / 0.65) = 1.40 mm.
  const double sameArea_m = 2e-3 * std::sqrt(0.32 / 0.65);
  EXPECT_LT(summary["diameter_interval_m"][0].get<double>(), sameArea_m);
  EXPECT_GT(summary["diameter_interval_m"][1].get<double>(), sameArea_m);
  // The planner corners the Soyuz MS-09 orbital module, safely, within two hours of the alarm,
  // and the crew patch the module it named.
  EXPECT_EQ(summary["localized_module"], "soyuz-ms09-om");
  EXPECT_EQ(summary["patch_module"], summary["localized_module"]);
  EXPECT_TRUE(truth["localized_correct"].get<bool>());
  EXPECT_TRUE(truth["patch_on_the_hole"].get<bool>());
  EXPECT_LT(summary["time_to_locate_s"].get<double>(), 2.0 * 3600.0);
  EXPECT_TRUE(summary["patched"].get<bool>());
  EXPECT_TRUE(summary["patch_verified"].get<bool>());
  // The failing patch is reported after it began to fail (2 days after the patch in the
  // shortened setting), and within 3 days of passing 5 % of the hole's area: by the trend, or
  // by a new alarm once the repair was judged, which opens a second incident of the one core.
  EXPECT_TRUE(summary["regrowth_detected"].get<bool>());
  const std::string by = summary["regrowth_detected_by"].get<std::string>();
  EXPECT_TRUE(by == "trend" || by == "alarm") << by;
  if (by == "alarm") {
    EXPECT_GE(summary["incidents"].get<int>(), 2);
    bool listed = false;
    for (std::size_t i = 0; i < summary["alarms"].size(); ++i)
      if (summary["alarms"][i]["time"] == summary["regrowth_detected_time"]) {
        listed = true;
        EXPECT_FALSE(summary["alarms"][i]["acted_on"].get<bool>());
        EXPECT_TRUE(truth["alarms"][i]["true_alarm"].get<bool>());
      }
    EXPECT_TRUE(listed);
  }
  const auto unix = [](const nlohmann::json& t) {
    std::tm tm{};
    strptime(t.get<std::string>().c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    return static_cast<double>(timegm(&tm));
  };
  const double reported = unix(summary["regrowth_detected_time"]);
  EXPECT_GT(reported, unix(summary["patch_time"]) + 2.0 * 86400.0);
  EXPECT_LT(reported, unix(truth["regrowth_crossed_5pct_time"]) + 3.0 * 86400.0);
  // Forensics: a step, dated within its interval.
  EXPECT_EQ(summary["onset_profile"], "step");
  EXPECT_LE(unix(summary["onset_interval"][0]), unix(truth["leak_onset"]));
  EXPECT_GE(unix(summary["onset_interval"][1]), unix(truth["leak_onset"]));
  // The ground test is sized from leakhunt's estimate of the hole, and a 2 mm hole, open,
  // fails it (it empties the module within the day).
  EXPECT_TRUE(summary["ground_test_run"].get<bool>());
  EXPECT_DOUBLE_EQ(summary["ground_test_diameter_m"].get<double>(),
                   summary["diameter_m"].get<double>());
  EXPECT_FALSE(summary["ground_test_passes"].get<bool>());
}

TEST_F(Demo, SummaryListsEveryAlarmAndJudgesEachBesideTheTruth) {
  ASSERT_EQ(status, 0);
  ASSERT_TRUE(parseError.empty()) << parseError;
  const nlohmann::json& alarms = summary["alarms"];
  const nlohmann::json& judged = summary["beside_truth"]["alarms"];
  ASSERT_FALSE(alarms.empty());
  ASSERT_EQ(judged.size(), alarms.size());
  int actedOn = 0;
  for (std::size_t i = 0; i < alarms.size(); ++i) {
    EXPECT_EQ(judged[i]["time"], alarms[i]["time"]);
    EXPECT_TRUE(alarms[i]["leak_rate_kg_s"].is_number());
    EXPECT_TRUE(alarms[i]["leak_rate_sigma_kg_s"].is_number());
    EXPECT_FALSE(alarms[i]["segment"].empty());
    EXPECT_TRUE(judged[i]["true_alarm"].is_boolean());
    if (i > 0) {
      EXPECT_GE(alarms[i]["time"].get<std::string>(), alarms[i - 1]["time"].get<std::string>());
    }
    if (alarms[i]["acted_on"].get<bool>()) {
      ++actedOn;
      EXPECT_EQ(alarms[i]["time"], summary["alarm_time"]);
      EXPECT_TRUE(judged[i]["true_alarm"].get<bool>());
    }
  }
  EXPECT_EQ(actedOn, 1);
  // While the leak acted on is isolated and not yet patched, no part of the segment raises it
  // again: a split that let a part continue the whole's history once alarmed in soyuz-ms09-om
  // at 21:56, between the alarm (20:23) and the patch (22:05) (docs/detection.md, "A part
  // continues its share of the whole").
  ASSERT_TRUE(summary["patch_time"].is_string());
  for (const nlohmann::json& a : alarms)
    if (!a["acted_on"].get<bool>()) {
      const std::string t = a["time"].get<std::string>();
      EXPECT_FALSE(t > summary["alarm_time"].get<std::string>() &&
                   t < summary["patch_time"].get<std::string>())
          << t << " " << a["segment"];
    }
  // The report lists them too, and its timeline (the one the text mode prints) is in order
  // and tells every alarm as an alarm.
  const nlohmann::json report = nlohmann::json::parse(slurp(folder / "report.json"));
  bool listed = false;
  for (const auto& t : report["tables"])
    if (t["title"] == "Alarms leakhunt raised") {
      listed = true;
      EXPECT_EQ(t["rows"].size(), alarms.size());
    }
  EXPECT_TRUE(listed);
  double previous = -1e300;
  std::size_t told = 0;
  for (const auto& e : report["timeline"]) {
    EXPECT_GE(e["time_s"].get<double>(), previous) << e["happened"];
    previous = e["time_s"].get<double>();
    if (e["happened"].get<std::string>().starts_with("LEAK ALARM")) ++told;
  }
  EXPECT_EQ(told, alarms.size());
}

// The checks every bundled story passes (every_story_test.cpp), on the report the demo wrote.
TEST_F(Demo, TellsATrueStory) {
  ASSERT_EQ(status, 0);
  ASSERT_TRUE(parseError.empty()) << parseError;
  const nlohmann::json doc = nlohmann::json::parse(slurp(folder / "report.json"));
  leakhunt::report::Report report;
  report.subtitle = doc["subtitle"].get<std::string>();
  for (const auto& e : doc["timeline"])
    report.timeline.push_back({e["time_s"].get<double>(), e["stage"].get<std::string>(),
                               e["happened"].get<std::string>(),
                               e["concluded"].get<std::string>()});
  for (const auto& t : doc["tables"])
    report.tables.push_back({t["title"].get<std::string>(),
                             t["columns"].get<std::vector<std::string>>(),
                             t["rows"].get<std::vector<std::vector<std::string>>>()});
  const auto scenario = leakhunt::model::loadScenario(std::string(LEAKHUNT_SOURCE_DIR) +
                                                      "/data/scenarios/soyuz-ms09-2018.yaml");
  ASSERT_TRUE(scenario) << scenario.error().message;
  leakhunt::story::checks::expectATrueStory(report, static_cast<double>(scenario->startUnix_s),
                                            summary["alarms"].size());
}

TEST_F(Demo, ReportHoldsEveryFigure) {
  ASSERT_EQ(status, 0);
  const nlohmann::json report = nlohmann::json::parse(slurp(folder / "report.json"));
  const std::string page = slurp(folder / "report.html");
  ASSERT_FALSE(report["plots"].empty());
  ASSERT_FALSE(report["schematics"].empty());
  for (const char* kind : {"plots", "schematics"})
    for (const auto& f : report[kind]) {
      const std::string id = f["id"];
      EXPECT_NE(page.find("<figure id='" + id + "'><svg"), std::string::npos) << id;
      EXPECT_TRUE(std::filesystem::exists(folder / (id + ".svg"))) << id;
      EXPECT_TRUE(std::filesystem::exists(folder / (id + ".png"))) << id;
    }
  for (const char* id : {"pressures", "leak-rate", "inventory", "weeks-after"})
    EXPECT_NE(page.find(std::string("<figure id='") + id + "'"), std::string::npos) << id;
}

TEST_F(Demo, ChromiumRendersThePage) {
  ASSERT_EQ(status, 0);
  const auto shot = folder / "report-screenshot.png";
  const Ran chrome =
      // Bounded: headless Chromium once hung after writing nothing, and held the ASan run
      // until ctest's 30-minute timeout.
      run("timeout -k 5 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
          "--disable-background-networking --hide-scrollbars --window-size=1280,1600 "
          "--screenshot=" +
          shot.string() + " file://" + (folder / "report.html").string() + " 2>&1");
  ASSERT_EQ(chrome.status, 0) << chrome.out;
  ASSERT_TRUE(std::filesystem::exists(shot)) << chrome.out;
  // Not blank: a real share of the pixels is not the page's white.
  const Ran ink =
      run("/usr/bin/python3 -c \"import matplotlib.image as m, sys; a = m.imread(sys.argv[1]); "
          "print(float((a[:, :, :3].sum(axis=2) < 2.9).mean()))\" " +
          shot.string());
  ASSERT_EQ(ink.status, 0) << ink.out;
  EXPECT_GT(std::stod(ink.out), 0.02) << "the screenshot is (nearly) blank: " << shot;
}

}  // namespace
