// A humidity channel (issue 14): the analysis commands accept it when the station has the
// sensor, refuse a value no hygrometer gives at its line, and detection ignores it: the same
// telemetry with and without humidity rows gives the same answer, to the byte.
#include <gtest/gtest.h>

#include "robustness/robustness.hpp"

namespace leakhunt::testing {
namespace {

class HumidityChannel : public RobustnessTest {
 protected:
  void SetUp() override {
    RobustnessTest::SetUp();
    std::string text = stationText(StationKind::HatchClosed);
    text +=
        "  - {module: module-a, quantity: humidity, noise: 2 %, resolution: 0.1 %}\n"
        "  - {module: module-b, quantity: humidity, noise: 2 %, resolution: 0.1 %}\n";
    writeFile("humid.yaml", text);
  }
  // 4 h, both modules losing 400 Pa/h (3 mmHg/h) from the start; with `humidity`, a reading of each
  // module's relative humidity [%] after each row of its pressure.
  std::vector<Row> rows(bool humidity, double value = 45.0) const {
    std::vector<Row> out;
    for (const Row& r : cabinRows(4.0, 400.0)) {
      out.push_back(r);
      if (humidity && r.channel.ends_with(".pressure"))
        out.push_back({r.time, r.channel.substr(0, r.channel.find('.')) + ".humidity",
                       value + (value < 100.0 ? 0.1 * static_cast<double>(out.size() % 7) : 0.0)});
    }
    return out;
  }
};

TEST_F(HumidityChannel, detection_gives_the_same_answer_with_or_without_humidity) {
  writeRows("dry.csv", rows(false));
  writeRows("humid.csv", rows(true));
  const ProgramRun without = run("detect humid.yaml dry.csv");
  const ProgramRun with = run("detect humid.yaml humid.csv");
  ASSERT_EQ(without.status, 0) << without.err;
  ASSERT_EQ(with.status, 0) << with.err;
  EXPECT_NE(with.out.find("ALARM"), std::string::npos) << with.out;  // numbers to compare
  EXPECT_EQ(with.out, without.out);
  // The humidity channels are the station's: not listed as unmatched.
  EXPECT_EQ(with.err.find("humidity"), std::string::npos) << with.err;
  const ProgramRun json = run("detect humid.yaml humid.csv --json");
  const ProgramRun jsonWithout = run("detect humid.yaml dry.csv --json");
  EXPECT_EQ(json.out, jsonWithout.out);
}

TEST_F(HumidityChannel, a_humidity_outside_0_to_100_percent_is_refused_at_its_line) {
  writeRows("wet.csv", rows(true, 120.0));  // line 3: the first humidity row
  const ProgramRun r = run("detect humid.yaml wet.csv");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("wet.csv:3: channel 'module-a.humidity' value 120 is not a relative "
                       "humidity: allowed 0 to 100 (percent)"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace leakhunt::testing
