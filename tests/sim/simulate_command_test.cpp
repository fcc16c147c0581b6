#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int simulate(const std::string& scenario, const std::filesystem::path& out) {
  const std::string cmd = std::string(LEAKHUNT_BINARY) + " simulate " + scenario + " -o " +
                          out.string() + " --spin-up 0.5 2>/dev/null";
  return std::system(cmd.c_str());
}

// The same scenario and seed give the same telemetry file, byte for byte.
TEST(SimulateCommand, same_seed_gives_the_same_bytes) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("leakhunt-sim-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string scenario = dir / "s.yaml";
  std::ofstream(scenario)
      << "name: bytes\nstation: " LEAKHUNT_SOURCE_DIR
         "/data/stations/two-module.yaml\n"
         "start: 2020-01-01T00:00:00Z\nduration: 20 min\nseed: 11\noutput_period: 1 s\n"
         "events:\n  - {at: +5 min, leak: {id: h, module: module-a, diameter: 3 mm}}\n";
  ASSERT_EQ(simulate(scenario, dir / "a.csv"), 0);
  ASSERT_EQ(simulate(scenario, dir / "b.csv"), 0);
  const std::string a = slurp(dir / "a.csv");
  EXPECT_GT(a.size(), 100000u);
  EXPECT_EQ(a, slurp(dir / "b.csv"));
  std::filesystem::remove_all(dir);
}

// A run that fails leaves no output file behind, not even a partial one.
TEST(SimulateCommand, a_bad_scenario_writes_nothing) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("leakhunt-bad-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string scenario = dir / "bad.yaml";
  std::ofstream(scenario)
      << "name: bad\nstation: nowhere.yaml\nstart: 2020-01-01T00:00:00Z\nduration: 1 h\n";
  EXPECT_NE(simulate(scenario, dir / "out.csv"), 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "out.csv"));
  std::filesystem::remove_all(dir);
}

// An output on top of an input, or two outputs on one file, is refused before anything is
// written: `simulate s.yaml -o s.yaml` once replaced the scenario and exited 0 (issue 21).
TEST(SimulateCommand, an_output_never_replaces_an_input_or_another_output) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("leakhunt-clobber-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string scenario = dir / "s.yaml";
  const std::string text = "name: clobber\nstation: " LEAKHUNT_SOURCE_DIR
                           "/data/stations/two-module.yaml\n"
                           "start: 2020-01-01T00:00:00Z\nduration: 2 min\nseed: 1\n";
  std::ofstream(scenario) << text;
  std::filesystem::create_symlink(scenario, dir / "link.yaml");
  const auto run = [&](const std::string& args) {
    const std::string cmd = std::string(LEAKHUNT_BINARY) + " simulate " + scenario + " " + args +
                            " --spin-up 0 2>" + (dir / "err.txt").string();
    return std::system(cmd.c_str());
  };
  for (const std::string& args : {"-o " + scenario, "-o " + (dir / "." / "s.yaml").string(),
                                  "-o " + (dir / "link.yaml").string(),
                                  "-o " + (dir / "t.csv").string() + " --truth " + scenario}) {
    EXPECT_NE(run(args), 0) << args;
    EXPECT_NE(slurp(dir / "err.txt").find("would destroy the input"), std::string::npos)
        << args << ": " << slurp(dir / "err.txt");
    EXPECT_EQ(slurp(scenario), text) << args;
    EXPECT_FALSE(std::filesystem::exists(dir / "t.csv")) << args;
  }
  EXPECT_NE(run("-o " + (dir / "x.csv").string() + " --truth " + (dir / "x.csv").string()), 0);
  EXPECT_NE(slurp(dir / "err.txt").find("are the same file"), std::string::npos)
      << slurp(dir / "err.txt");
  EXPECT_FALSE(std::filesystem::exists(dir / "x.csv"));
  // Two distinct outputs still work.
  EXPECT_EQ(run("-o " + (dir / "a.csv").string() + " --truth " + (dir / "b.csv").string()), 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "a.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "b.csv"));
  std::filesystem::remove_all(dir);
}

}  // namespace
