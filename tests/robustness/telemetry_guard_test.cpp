// Telemetry the analysis commands cannot use (issue 14's guard rails, issue 21 items 2, 4, 12):
// channels that match no sensor, implausible values, unit slips, rows out of time order, a stray
// row dated 9999. Each command says what was unusable and exits non-zero when nothing was; none
// answers "no leak" or "no change" from data it could not use.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "robustness/robustness.hpp"

namespace leakhunt::testing {
namespace {

class TelemetryGuardCli : public RobustnessTest {};

// The commands that read telemetry, with the options each needs.
std::vector<std::string> analyses(const std::string& station, const std::string& file) {
  return {"detect " + station + " " + file,
          "verify " + station + " " + file + " --since 2018-08-29T00:00:00Z",
          "trend " + station + " " + file + " --period '1 h'", "onset " + station + " " + file,
          "locate infer " + station + " " + file};
}

TEST_F(TelemetryGuardCli, no_channel_matching_the_station_is_refused_with_exit_2_and_a_mapping) {
  writeRows("foreign.csv", cabinRows(2.0, 0.0, {"cabin-p", "cabin-p2", "cabin-t", "cabin-t2"}));
  for (const std::string& args : analyses(station(), "foreign.csv")) {
    const ProgramRun r = run(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("no channel in the telemetry matches a sensor of the station"),
              std::string::npos)
        << args << "\n"
        << r.err;
    EXPECT_NE(r.err.find("Expected 'module-a.pressure', 'module-b.pressure'"), std::string::npos)
        << args << "\n"
        << r.err;
    EXPECT_NE(r.err.find("found 'cabin-p'"), std::string::npos) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("`channel:`"), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(r.out.find("no leak"), std::string::npos) << args << "\n" << r.out;
    EXPECT_EQ(r.out.find("no change"), std::string::npos) << args << "\n" << r.out;
  }
}

TEST_F(TelemetryGuardCli, an_empty_file_or_a_station_without_sensors_is_refused) {
  writeRows("header-only.csv", {});
  const ProgramRun empty = run("detect " + station() + " header-only.csv");
  EXPECT_EQ(empty.status, 2) << empty.err;
  EXPECT_NE(empty.err.find("holds no samples"), std::string::npos) << empty.err;
  EXPECT_EQ(empty.out.find("no leak"), std::string::npos) << empty.out;

  writeFile("bare.yaml", stationText(StationKind::NoSensors));
  writeRows("tm.csv", cabinRows(2.0, 0.0));
  for (const std::string& args : analyses("bare.yaml", "tm.csv")) {
    const ProgramRun r = run(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("the station lists no sensors"), std::string::npos) << args << r.err;
  }
}

// Issue 14: `simulate` warns before it runs a station with no sensors (its telemetry will be a
// header alone), and `detect` on what it wrote refuses instead of answering "no leak".
TEST_F(TelemetryGuardCli, simulate_warns_when_the_station_has_no_sensors) {
  writeFile("bare.yaml", stationText(StationKind::NoSensors));
  writeFile("run.yaml",
            "name: bare\nstation: bare.yaml\nstart: 2018-08-29T00:00:00Z\nduration: 10 min\n"
            "output_period: 10 s\nevents: []\n");
  const ProgramRun sim = run("simulate run.yaml -o tm.csv --spin-up 0");
  ASSERT_EQ(sim.status, 0) << sim.err;
  EXPECT_NE(sim.err.find("warning: station 'Two-module test article' has no sensors: the "
                         "telemetry will hold no samples"),
            std::string::npos)
      << sim.err;
  const ProgramRun detect = run("detect bare.yaml tm.csv");
  EXPECT_EQ(detect.status, 2) << detect.err;
  EXPECT_EQ(detect.out.find("no leak"), std::string::npos) << detect.out;
}

TEST_F(TelemetryGuardCli, channels_that_match_nothing_are_listed_in_a_warning) {
  std::vector<Row> rows = cabinRows(2.0, 0.0);
  rows.push_back({rows.back().time, "node-3.pressure", 101325.0});
  rows.push_back({rows.back().time, "lab.dp", 2.0});
  writeRows("mixed.csv", rows);
  const ProgramRun r = run("detect " + station() + " mixed.csv");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warning: 2 channel(s) match no sensor of the station and were not used"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("'node-3.pressure', 'lab.dp'"), std::string::npos) << r.err;
}

TEST_F(TelemetryGuardCli, a_segment_without_pressure_data_is_not_watched_never_no_leak) {
  // Hatch closed: two segments; module-b's pressure sensor sent nothing.
  writeFile("closed.yaml", stationText(StationKind::HatchClosed));
  writeRows("a-only.csv",
            cabinRows(3.0, 0.0,
                      {"module-a.pressure", "", "module-a.temperature", "module-b.temperature"}));
  const ProgramRun r = run("detect closed.yaml a-only.csv");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("segment [module-b]: not watched"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no leak found in the 1 watched segment(s)"), std::string::npos) << r.out;

  // No pressure data at all: nothing watched, so no answer and a non-zero exit.
  writeRows("temps.csv",
            cabinRows(3.0, 0.0, {"", "", "module-a.temperature", "module-b.temperature"}));
  const ProgramRun none = run("detect closed.yaml temps.csv");
  EXPECT_EQ(none.status, 1) << none.err;
  EXPECT_NE(none.err.find("no segment was watched"), std::string::npos) << none.err;
  EXPECT_EQ(none.out.find("no leak found"), std::string::npos) << none.out;
  const ProgramRun trend = run("trend closed.yaml temps.csv --period '1 h'");
  EXPECT_EQ(trend.status, 1) << trend.err;
  EXPECT_EQ(trend.out.find("no change"), std::string::npos) << trend.out;
  EXPECT_NE(trend.out.find("module module-a: not watched"), std::string::npos) << trend.out;
  const ProgramRun onset = run("onset closed.yaml temps.csv");
  EXPECT_EQ(onset.status, 1) << onset.err;
  EXPECT_NE(onset.err.find("no module was watched"), std::string::npos) << onset.err;
  const ProgramRun verify = run("verify closed.yaml temps.csv --since 2018-08-29T00:00:00Z");
  EXPECT_EQ(verify.status, 1) << verify.err;
  EXPECT_NE(verify.err.find("nothing verified"), std::string::npos) << verify.err;
}

// The refusal names the file, the line, the channel, the value and the allowed range.
TEST_F(TelemetryGuardCli, implausible_values_are_refused_at_their_line) {
  const auto withValue = [&](double value) {
    std::vector<Row> rows = cabinRows(2.0, 0.0);
    rows[41].value = value;  // line 43: the header is line 1
    EXPECT_EQ(rows[41].channel, "module-b.pressure");
    return rows;
  };
  writeRows("huge.csv", withValue(1e308));
  writeRows("negative.csv", withValue(-101325.0));
  for (const std::string& args : analyses(station(), "huge.csv")) {
    const ProgramRun r = run(args);
    EXPECT_EQ(r.status, 1) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("huge.csv:43: channel 'module-b.pressure' value 1e+308 is not an absolute "
                         "pressure: allowed 0 to 1e6 Pa"),
              std::string::npos)
        << args << "\n"
        << r.err;
    EXPECT_EQ(r.out.find("nan"), std::string::npos) << args << "\n" << r.out;
  }
  const ProgramRun negative =
      run("verify " + station() + " negative.csv --since 2018-08-29T00:00:00Z");
  EXPECT_EQ(negative.status, 1) << negative.err;
  EXPECT_NE(negative.err.find("negative.csv:43: channel 'module-b.pressure' value -101325 is not"),
            std::string::npos)
      << negative.err;

  std::vector<Row> cold = cabinRows(2.0, 0.0);
  cold[42].value = -3.0;  // a temperature row
  EXPECT_EQ(cold[42].channel, "module-a.temperature");
  writeRows("cold.csv", cold);
  const ProgramRun r = run("detect " + station() + " cold.csv");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("cold.csv:44: channel 'module-a.temperature' value -3 is not an absolute "
                       "temperature: allowed above 0 K, up to 1000 K"),
            std::string::npos)
      << r.err;
}

TEST_F(TelemetryGuardCli, a_file_in_mmhg_or_degc_is_refused_as_a_unit_slip) {
  std::vector<Row> rows = cabinRows(2.0, 30.0);
  for (Row& row : rows)
    if (row.channel.ends_with(".pressure")) row.value /= 133.322387415;
  writeRows("mmhg.csv", rows);
  for (const std::string& args : analyses(station(), "mmhg.csv")) {
    const ProgramRun r = run(args);
    EXPECT_EQ(r.status, 1) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("mmhg.csv:2: channel 'module-a.pressure' value 760"), std::string::npos)
        << args << "\n"
        << r.err;
    EXPECT_NE(r.err.find("looks like mmHg, not Pa"), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(r.out.find("no leak"), std::string::npos) << args << "\n" << r.out;
  }
  std::vector<Row> celsius = cabinRows(2.0, 0.0);
  for (Row& row : celsius)
    if (row.channel.ends_with(".temperature")) row.value -= 273.15;
  writeRows("degc.csv", celsius);
  const ProgramRun r = run("detect " + station() + " degc.csv");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("degc.csv:4: channel 'module-a.temperature'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("looks like degC, not K"), std::string::npos) << r.err;
}

TEST_F(TelemetryGuardCli, reversed_or_shuffled_rows_are_refused_and_counted) {
  std::vector<Row> rows = cabinRows(3.0, 30.0);
  std::vector<Row> reversed(rows.rbegin(), rows.rend());
  writeRows("reversed.csv", reversed);
  for (const std::string& args : analyses(station(), "reversed.csv")) {
    const ProgramRun r = run(args);
    EXPECT_EQ(r.status, 1) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(fmt::format("{} of {} rows", rows.size() - 4, rows.size())),
              std::string::npos)
        << args << "\n"
        << r.err;
    EXPECT_NE(r.err.find("go back in time and were not used; the first is reversed.csv:6"),
              std::string::npos)
        << args << "\n"
        << r.err;
    EXPECT_NE(r.err.find("Sort the rows by time"), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(r.out.find("no leak"), std::string::npos) << args << "\n" << r.out;
  }
  // Shuffled in blocks of an hour: most rows go back in time.
  std::vector<Row> shuffled;
  const std::size_t hour = rows.size() / 3;
  for (int block : {2, 0, 1})
    shuffled.insert(shuffled.end(), rows.begin() + static_cast<long>(block * hour),
                    rows.begin() + static_cast<long>((block + 1) * hour));
  writeRows("shuffled.csv", shuffled);
  const ProgramRun r = run("detect " + station() + " shuffled.csv");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("go back in time"), std::string::npos) << r.err;
}

TEST_F(TelemetryGuardCli, one_row_dated_2081_does_not_silently_drop_the_rest) {
  std::vector<Row> rows = cabinRows(3.0, 30.0);
  rows[100].time = "2081-08-29T00:16:40.000Z";  // line 102
  writeRows("2081.csv", rows);
  for (const std::string& args : analyses(station(), "2081.csv")) {
    const ProgramRun r = run(args);
    EXPECT_EQ(r.status, 1) << args << "\n" << r.err;
    EXPECT_NE(
        r.err.find("go back in time and were not used; the first is 2081.csv:103 "
                   "(2018-08-29T00:04:10.000Z), after 2081.csv:102 (2081-08-29T00:16:40.000Z)"),
        std::string::npos)
        << args << "\n"
        << r.err;
  }
}

TEST_F(TelemetryGuardCli, a_few_late_rows_are_dropped_counted_and_said) {
  std::vector<Row> rows = cabinRows(3.0, 0.0);
  // Row 200 (line 202) moves 50 s ahead: the 20 rows up to its old time come after it, late.
  std::swap(rows[200], rows[220]);
  writeRows("late.csv", rows);
  const ProgramRun r = run("detect " + station() + " late.csv");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warning: 20 of " + std::to_string(rows.size()) +
                       " rows go back in time and were not used; the first is late.csv:203"),
            std::string::npos)
      << r.err;
}

// Run time followed the time span, not the rows: one row at 9999-12-31 after three hours of
// data hung detect and trend (the bound here is a hang guard, not a timing).
TEST_F(TelemetryGuardCli, a_stray_row_dated_9999_does_not_hang_detect_or_trend) {
  std::vector<Row> rows = cabinRows(3.0, 30.0);
  rows.push_back({"9999-12-31T00:00:00.000Z", "module-a.pressure", rows.back().value});
  writeRows("9999.csv", rows);
  for (const std::string& args :
       {"detect " + station() + " 9999.csv", "trend " + station() + " 9999.csv --period '1 h'",
        "trend " + station() + " 9999.csv", "onset " + station() + " 9999.csv",
        "verify " + station() + " 9999.csv --since 2018-08-29T00:00:00Z"}) {
    const ProgramRun r = runRaw("timeout 120 " + binary() + " " + args);
    EXPECT_NE(r.status, 124) << args << " hung";
    EXPECT_LT(r.status, 128) << args << "\n" << r.err;
  }
}

}  // namespace
}  // namespace leakhunt::testing
