// Options and summary inputs out of range (issue 21 items 6, 8, 18): each refusal names the
// option or file:line, the value and what is allowed; each result is physical.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "robustness/robustness.hpp"

namespace leakhunt::testing {
namespace {

class Options : public RobustnessTest {};

// A daily summary: `days` rows from 2018-09-01, rate `before` then `after` from day `stepDay`.
std::string summary(int days, int stepDay, const std::string& before, const std::string& after,
                    const std::string& sigma = "0") {
  std::string text = "period_start,rate_kg_s,rate_sigma_kg_s\n";
  for (int d = 0; d < days; ++d)
    text +=
        fmt::format("2018-09-{:02}T00:00:00Z,{},{}\n", d + 1, d < stepDay ? before : after, sigma);
  return text;
}

TEST_F(Options, trend_finds_a_clean_threefold_step_with_zero_scatter) {
  // 1 kg/day, then 3 kg/day from 2018-09-11: no scatter at all (the test once gave up on it).
  writeFile("step.csv", summary(20, 10, "1.1574074074074073e-05", "3.472222222222222e-05"));
  const ProgramRun r = run("trend " + station() + " step.csv");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("CHANGE at 2018-09-11T00:00:00.000Z"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 -> 3 kg/day"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("no change"), std::string::npos) << r.out;
  // And a flat series with zero scatter is still "no change".
  writeFile("flat.csv", summary(20, 10, "1.1574074074074073e-05", "1.1574074074074073e-05"));
  const ProgramRun flat = run("trend " + station() + " flat.csv");
  EXPECT_EQ(flat.status, 0) << flat.err;
  EXPECT_NE(flat.out.find("no change in the leak rate"), std::string::npos) << flat.out;
}

TEST_F(Options, trend_refuses_a_rate_that_is_not_a_number) {
  writeFile("nan.csv", summary(8, 4, "1e-5", "nan"));
  const ProgramRun r = run("trend " + station() + " nan.csv");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("nan.csv:6: rate_kg_s 'nan' is not allowed: a finite rate in kg/s"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("nan"), std::string::npos) << r.out;
  writeFile("inf.csv", summary(8, 4, "1e-5", "1e-5", "inf"));
  const ProgramRun s = run("trend " + station() + " inf.csv");
  EXPECT_EQ(s.status, 1) << s.err;
  EXPECT_NE(s.err.find("inf.csv:2: rate_sigma_kg_s 'inf' is not allowed: a finite sd in kg/s, 0 "
                       "or more"),
            std::string::npos)
      << s.err;
}

TEST_F(Options, onset_follow_must_be_positive) {
  writeRows("tm.csv", cabinRows(1.0, 0.0));
  const ProgramRun r = run("onset " + station() + " tm.csv --follow '-6 h'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("--follow must be positive (data used after the alarm, e.g. 6 h); got "
                       "'-6 h'"),
            std::string::npos)
      << r.err;
  const ProgramRun zero = run("onset " + station() + " tm.csv --follow '0 s'");
  EXPECT_EQ(zero.status, 2) << zero.err;
  EXPECT_NE(zero.err.find("--follow must be positive"), std::string::npos) << zero.err;
}

const std::string kGroundTest =
    "ground-test --volume '6.5 m^3' --pressure '101 kPa' --duration '24 h' "
    "--temperature-stability '0.1 K' ";

TEST_F(Options, ground_test_caps_the_drop_at_the_pressure_difference) {
  const ProgramRun r = run(kGroundTest + "--sensor-resolution '10 Pa' --hole '2 mm' --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  const double drop = j["hole_pressure_drop_pa"].get<double>();
  EXPECT_GT(drop, 0.99 * 101000.0);  // a 2 mm hole empties 6.5 m^3 in a day
  EXPECT_LE(drop, 101000.0);         // and no further (it said 5.463e5 Pa)
  EXPECT_FALSE(j["passes"].get<bool>());
  // In air the gas stops at the room's pressure.
  const ProgramRun air =
      run("ground-test --volume '6.5 m^3' --pressure '150 kPa' --duration '24 h' "
          "--temperature-stability '0.1 K' --sensor-resolution '10 Pa' --hole '2 mm' "
          "--outside-pressure '100 kPa' --json");
  ASSERT_EQ(air.status, 0) << air.err;
  EXPECT_LE(nlohmann::json::parse(air.out)["hole_pressure_drop_pa"].get<double>(), 50000.0);
}

TEST_F(Options, ground_test_refuses_zero_kelvin_and_a_resolution_coarser_than_the_drop) {
  const ProgramRun cold =
      run(kGroundTest + "--sensor-resolution '10 Pa' --hole '2 mm' --temperature '0 K'");
  EXPECT_EQ(cold.status, 2) << cold.err;
  EXPECT_NE(cold.err.find("--temperature '0 K' is not allowed: an absolute temperature above 0 K"),
            std::string::npos)
      << cold.err;
  const ProgramRun coarse = run(kGroundTest + "--sensor-resolution '2 atm' --hole '2 mm'");
  EXPECT_EQ(coarse.status, 2) << coarse.err;
  EXPECT_NE(coarse.err.find("--sensor-resolution '2 atm' is coarser than the whole pressure "
                            "difference of the test (101000 Pa)"),
            std::string::npos)
      << coarse.err;
  EXPECT_EQ(coarse.out.find("FAILS (seen)"), std::string::npos) << coarse.out;
  // A temperature stability that fakes more than the whole pressure: nothing can be seen.
  const ProgramRun unstable =
      run("ground-test --volume '6.5 m^3' --pressure '101 kPa' --duration '24 h' "
          "--sensor-resolution '10 Pa' --temperature-stability '400 K' --hole '2 mm'");
  EXPECT_EQ(unstable.status, 2) << unstable.err;
  EXPECT_NE(unstable.err.find("could not see any leak"), std::string::npos) << unstable.err;
}

}  // namespace
}  // namespace leakhunt::testing
