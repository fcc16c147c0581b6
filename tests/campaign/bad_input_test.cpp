// Bad input anywhere in the commands (issue 8): files that are missing, empty, binary, broken,
// directories or devices; numbers that are not; outputs that cannot be written. Each gives a
// clear message on stderr and a non-zero exit, never a crash (a signal), a hang, or an output
// file, whole or partial (outputs go to a temporary that is renamed only when complete).
#include <gtest/gtest.h>

#include "program.hpp"

namespace leakhunt::testing {
namespace {

const std::string kData = LEAKHUNT_SOURCE_DIR "/data";

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = scratchDir("bad-input");
    std::ofstream(dir / "empty.yaml") << "";
    std::ofstream(dir / "binary.yaml", std::ios::binary) << std::string("\0\x01\xff\xfe", 4);
    std::ofstream(dir / "broken.yaml") << "modules: [\n";
    std::ofstream(dir / "nan.csv")
        << "time,channel,value\n2018-08-29T00:00:00Z,zvezda.pressure,nan\n";
    std::ofstream(dir / "garbage.csv") << "garbage\n";
    std::ofstream(dir / "bad.jsonl") << "{\"time\": 5}\n";
    std::ofstream(dir / "deep.jsonl") << std::string(100000, '[') << "\n";
    std::filesystem::create_directories(dir / "folder.yaml");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  // Runs leakhunt and checks the failure is clean; returns stderr.
  std::string failsCleanly(const std::string& args, const std::string& message) {
    const ProgramRun r = runLeakhunt(args, dir);
    EXPECT_GT(r.status, 0) << args;
    EXPECT_LT(r.status, 128) << args << " died of a signal: " << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\nstderr: " << r.err;
    return r.err;
  }
  // No output file, and no temporary left beside it.
  void nothingWritten(const std::string& name) {
    for (const auto& e : std::filesystem::directory_iterator(dir))
      EXPECT_EQ(e.path().filename().string().rfind(name, 0), std::string::npos)
          << e.path() << " was left behind";
  }
  std::filesystem::path dir;
};

TEST_F(BadInput, check) {
  failsCleanly("check missing.yaml", "missing.yaml");
  failsCleanly("check empty.yaml", "empty.yaml:1:1: error: file is empty");
  failsCleanly("check binary.yaml", "binary.yaml:1:1: error");
  failsCleanly("check broken.yaml", "broken.yaml:2:1: error: YAML syntax");
  failsCleanly("check folder.yaml", "it is a directory");
  failsCleanly("check /dev/null", "not a regular file");
  failsCleanly("check", "required");
}

TEST_F(BadInput, simulate) {
  const std::string scenario = kData + "/scenarios/spektr-1997.yaml";
  failsCleanly("simulate empty.yaml -o out.csv", "empty.yaml:1:1: error");
  failsCleanly("simulate binary.yaml -o out.csv", "binary.yaml:1:1: error");
  failsCleanly("simulate broken.yaml -o out.csv", "broken.yaml:2:1: error");
  failsCleanly("simulate folder.yaml -o out.csv", "directory");
  failsCleanly("simulate " + scenario + " --spin-up -1 -o out.csv", "--spin-up");
  failsCleanly("simulate " + scenario + " --spin-up soon -o out.csv", "--spin-up");
  failsCleanly("simulate " + scenario + " -o missing-dir/out.csv", "cannot write");
  nothingWritten("out.csv");
  // The output path is a directory: the run is done, the rename fails, nothing is left.
  failsCleanly("simulate " + scenario + " --spin-up 0 -o folder.yaml", "folder.yaml");
  nothingWritten("folder.yaml.tmp");
}

TEST_F(BadInput, detect) {
  const std::string station = kData + "/stations/iss-2018.yaml";
  failsCleanly("detect " + station + " nan.csv", "nan.csv:2: value is not finite");
  failsCleanly("detect " + station + " garbage.csv", "garbage.csv:1: expected the header");
  failsCleanly("detect " + station + " bad.jsonl", "bad.jsonl:1:");
  failsCleanly("detect " + station + " deep.jsonl", "deep.jsonl:1:");
  failsCleanly("detect " + station + " missing.csv", "missing.csv");
  failsCleanly("detect " + station + " folder.yaml", "directory");
  failsCleanly("detect " + station + " /dev/null", "/dev/null");
  failsCleanly("detect empty.yaml garbage.csv", "empty.yaml:1:1: error");
}

// Options out of their range or in the wrong unit are refused before any telemetry is read
// (issue 21, item 7): a Cd outside (0, 1] gave an inf or nan diameter, and "1 kg" read as 1/yr.
TEST_F(BadInput, detect_options_out_of_range_or_in_the_wrong_unit) {
  const std::string run = "detect " + kData + "/stations/iss-2018.yaml garbage.csv ";
  for (const char* cd : {"0", "-1", "5", "nan", "inf"})
    failsCleanly(run + "--cd=" + cd, "--cd must be in (0, 1]");
  for (const char* rate :
       {"1 kg", "inf/yr", "nan", "0/yr", "-1/yr", "1/fortnight", "1e400/yr", "/yr", "1/"})
    failsCleanly(run + "--false-alarm-rate='" + rate + "'", "--false-alarm-rate: cannot read");
  // In range, the options pass and the telemetry is read (and found to be garbage).
  failsCleanly(run + "--cd=1 --false-alarm-rate=0.5/h", "garbage.csv:1: expected the header");
}

TEST_F(BadInput, export_network) {
  failsCleanly("export-network empty.yaml -o net.json", "empty.yaml:1:1: error");
  failsCleanly("export-network broken.yaml -o net.json", "broken.yaml:2:1: error");
  failsCleanly(
      "export-network " + kData + "/scenarios/soyuz-ms09-2018.yaml -o missing-dir/net.json",
      "missing-dir/net.json");
  nothingWritten("net.json");
}

TEST_F(BadInput, campaign) {
  const std::string spec = kData + "/campaigns/two-module-smoke.yaml";
  failsCleanly("campaign empty.yaml --no-journal",
               "empty.yaml:1:1: error: file is empty; expected a campaign spec");
  failsCleanly("campaign binary.yaml --no-journal", "binary.yaml");
  failsCleanly("campaign broken.yaml --no-journal", "broken.yaml");
  failsCleanly("campaign folder.yaml", "directory");
  failsCleanly("campaign " + spec + " --journal missing-dir/j.jsonl", "missing-dir/j.jsonl");
  failsCleanly("campaign " + spec + " --no-journal --plot missing-dir/p.svg", "missing-dir/p.svg");
  failsCleanly("campaign " + spec + " --journal folder.yaml", "folder.yaml");
  failsCleanly("campaign " + spec + " --stop-after -1", "--stop-after");
  failsCleanly("campaign " + spec + " --no-journal --journal j.jsonl", "excludes");
  // Values of the wrong shape or out of range in a spec: file:line:col and what is wrong.
  const std::string station = "station: " + kData + "/stations/two-module.yaml\n";
  const struct {
    std::string body, message;
  } specs[] = {
      {station + "name: [a, b]\n", "bad.yaml:"},
      {station + "seed: -4\n", "bad.yaml:2:7: error: seed must be a whole number"},
      {station + "seed: 1e30\n", "seed must be a whole number"},
      {station + "cd: 7\n", "cd must be from"},
      {station + "false_alarm_rate: often\n", "expected a rate such as 1/yr"},
      {station + "false_alarm_rate: 1/fortnight\n", "expected a rate such as 1/yr"},
      {station + "leak_runs: {sizes: [{diameter: 2 mm, runs: 1e12}]}\n", "runs must be"},
      {station + "leak_runs: {sizes: [{diameter: 2 mm, runs: 2.5}]}\n", "runs must be"},
      {station + "leak_runs: {sizes: [{diameter: 2 mm, follow: 1e9 day}]}\n", "follow must be"},
      {station + "leak_runs: {sizes: [2 mm]}\n", "bad.yaml:"},
      {station + "leak_runs: {repress_probability: 2}\n", "repress_probability must be"},
      {station + "leak_runs: {modules: [nowhere]}\n", "unknown module 'nowhere'"},
      {station + "leak_free: {runs: 1, hatches: [nowhere], hatch_cycles_per_day: 1}\n",
       "unknown hatch 'nowhere'"},
      {station + "leak_free: {runs: 1, represses_per_day: 1e9}\n", "represses_per_day must be"},
      {station + "leak_free: {runs: 1, duration: 1e12 day}\n", "duration must be"},
      {station + "leak_free: {runs: 1, represses_per_day: 2}\nrepress: {module: nowhere, gas: "
                 "O2, mass: 1 kg, duration: 10 min}\n",
       "the spec's runs cannot be built"},
  };
  for (const auto& s : specs) {
    std::ofstream(dir / "bad.yaml") << s.body;
    failsCleanly("campaign bad.yaml --no-journal", s.message);
  }
}

}  // namespace
}  // namespace leakhunt::testing
