// `leakhunt check` end to end: what a controller sees on the terminal and the exit code.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct Outcome {
  int exitCode = -1;
  std::string output;  // stdout and stderr together
};

Outcome run(const std::string& args) {
  Outcome r;
  const std::string command = std::string("'") + LEAKHUNT_BINARY + "' " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) r.output.append(buffer, n);
  const int status = ::pclose(pipe);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CheckCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    // model_test alone does not build the program; `make test` builds everything.
    ASSERT_TRUE(std::filesystem::exists(LEAKHUNT_BINARY)) << LEAKHUNT_BINARY << " not built";
    m_file = std::filesystem::temp_directory_path() /
             ("leakhunt-check-" + std::to_string(::getpid()) + ".yaml");
  }
  void TearDown() override { std::filesystem::remove(m_file); }
  std::string write(const std::string& text) {
    std::ofstream(m_file) << text;
    return m_file.string();
  }
  std::filesystem::path m_file;
};

TEST_F(CheckCommand, errors_print_file_line_column_and_exit_1) {
  const std::string file = write("modules:\n  - {id: a, volume: 5 psi}\n");
  const Outcome r = run("check '" + file + "'");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_NE(r.output.find(file + ":2:21: error: volume: '5 psi' is a pressure, expected a volume"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(file + ": 1 error, 0 warnings"), std::string::npos) << r.output;
}

TEST_F(CheckCommand, a_valid_station_says_ok_and_exits_0) {
  const std::string file = write(
      "name: Tiny\nmodules:\n  - {id: a, volume: 5 m^3}\nsensors:\n"
      "  - {channel: a.pressure, module: a, quantity: pressure}\n");
  const Outcome r = run("check '" + file + "'");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find(file + ": ok (station 'Tiny', 1 module, 5.0 m^3)"), std::string::npos)
      << r.output;
}

// A lint (issue 14) is a warning at file:line; the exit code stays 0.
TEST_F(CheckCommand, a_station_with_no_sensors_is_warned_about_and_exits_0) {
  const std::string file = write("name: Tiny\nmodules:\n  - {id: a, volume: 5 m^3}\n");
  const Outcome r = run("check '" + file + "'");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find(file + ":1:1: warning: station 'Tiny' has no sensors"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(file + ": ok, 1 warning (station 'Tiny', 1 module, 5.0 m^3)"),
            std::string::npos)
      << r.output;
}

TEST_F(CheckCommand, warnings_alone_exit_0) {
  const std::string file =
      write("modules:\n  - {id: a, volume: 5 m^3}\n  - {id: b, volume: 5 m^3}\n");
  const Outcome r = run("check '" + file + "'");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("warning: module 'a' is not reached by any hatch"), std::string::npos);
}

TEST_F(CheckCommand, json_lists_the_diagnostics) {
  const std::string file = write("modules:\n  - {id: a, volum: 5 m^3}\n");
  const Outcome r = run("check --json '" + file + "'");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_NE(r.output.find("\"ok\": false"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"line\": 2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"severity\": \"error\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'volume'?"), std::string::npos) << r.output;
}

TEST_F(CheckCommand, a_missing_file_is_an_error_not_a_crash) {
  const Outcome r = run("check /nonexistent/leakhunt.yaml");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_NE(r.output.find("no such file"), std::string::npos) << r.output;
}

}  // namespace
