// `leakhunt demo --short` end to end, as CI runs it: the summary says what the story needs
// (alarm, the leak's segment, patch, regrowth caught), the report holds every figure, and
// headless Chromium renders the page to something that is not blank.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

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
  EXPECT_EQ(summary["leak_module"], "soyuz-ms09-om");
  ASSERT_TRUE(summary["alarm_raised"].get<bool>());
  // Raised after the hole opened, within the hour, in a segment that holds the leaking module.
  EXPECT_GT(summary["time_to_alarm_s"].get<double>(), 0.0);
  EXPECT_LT(summary["time_to_alarm_s"].get<double>(), 3600.0);
  bool holds = false;
  for (const auto& m : summary["alarm_segment"]) holds = holds || m == "soyuz-ms09-om";
  EXPECT_TRUE(holds);
  // A 2 mm hole: the estimate's 95 % interval holds it.
  EXPECT_LT(summary["diameter_interval_m"][0].get<double>(), 2e-3);
  EXPECT_GT(summary["diameter_interval_m"][1].get<double>(), 2e-3);
  // The planner corners the Soyuz MS-09 orbital module, safely, within two hours of the alarm.
  EXPECT_EQ(summary["localized_module"], "soyuz-ms09-om");
  EXPECT_TRUE(summary["localized_correct"].get<bool>());
  EXPECT_LT(summary["time_to_locate_s"].get<double>(), 2.0 * 3600.0);
  EXPECT_TRUE(summary["patched"].get<bool>());
  EXPECT_TRUE(summary["patch_verified"].get<bool>());
  // The failing patch is reported by the trend after it began to fail (2 days after the patch
  // in the shortened setting), and within 3 days of passing 5 % of the hole's area.
  EXPECT_TRUE(summary["regrowth_detected"].get<bool>());
  const auto unix = [](const nlohmann::json& t) {
    std::tm tm{};
    strptime(t.get<std::string>().c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    return static_cast<double>(timegm(&tm));
  };
  const double reported = unix(summary["regrowth_detected_time"]);
  EXPECT_GT(reported, unix(summary["patch_time"]) + 2.0 * 86400.0);
  EXPECT_LT(reported, unix(summary["regrowth_crossed_5pct_time"]) + 3.0 * 86400.0);
  // Forensics: a step, dated within its interval; the sealed hole passes the ground test.
  EXPECT_EQ(summary["onset_profile"], "step");
  EXPECT_LE(unix(summary["onset_interval"][0]), unix(summary["leak_onset"]));
  EXPECT_GE(unix(summary["onset_interval"][1]), unix(summary["leak_onset"]));
  EXPECT_TRUE(summary["ground_test_passes"].get<bool>());
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
      run("/usr/bin/chromium --headless --no-sandbox --disable-gpu "
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
