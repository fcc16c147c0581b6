// What simulate writes (issue 21 items 11 and 13): the size is estimated before writing and a
// run above --max-output is refused; SIGINT and SIGTERM leave no temporary behind; channel names
// with a comma or a quote are quoted (RFC 4180) and read back; an empty one is refused by check.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "robustness/robustness.hpp"

namespace leakhunt::testing {
namespace {

class Output : public RobustnessTest {
 protected:
  // A scenario on the two-module article (or on `stationFile` in the scratch directory).
  void writeScenario(const std::string& name, const std::string& duration,
                     const std::string& outputPeriod,
                     const std::string& stationFile = LEAKHUNT_SOURCE_DIR
                     "/data/stations/two-module.yaml") const {
    writeFile(name, "name: robustness\nstation: " + stationFile +
                        "\nstart: 2018-08-29T00:00:00Z\nduration: " + duration +
                        "\nseed: 21\noutput_period: " + outputPeriod + "\n");
  }
  bool leftovers() const {
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().filename().string().find(".tmp.") != std::string::npos) return true;
    return false;
  }
};

TEST_F(Output, simulate_refuses_a_run_larger_than_max_output_before_writing) {
  // SC of the issue: 6 h at output_period 1e-9 s wrote 12.4 GB (each 1 s reading repeated at
  // every 1e-9 s step within the simulator's grid tolerance).
  writeScenario("fine.yaml", "6 h", "1e-9 s");
  const ProgramRun r = run("simulate fine.yaml --spin-up 0 -o tm.csv");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("fine.yaml: this run would write about"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("above --max-output 2 GB"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Nothing was written"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "tm.csv"));
  EXPECT_FALSE(leftovers());

  writeScenario("century.yaml", "100 year", "10 s");
  const ProgramRun century = run("simulate century.yaml --spin-up 0 -o tm.csv --truth truth.csv");
  EXPECT_EQ(century.status, 2) << century.err;
  EXPECT_NE(century.err.find("above --max-output 2 GB"), std::string::npos) << century.err;

  // Below the limit the run goes ahead; a small limit refuses it, a bad one is named.
  writeScenario("small.yaml", "10 min", "10 s");
  EXPECT_EQ(run("simulate small.yaml --spin-up 0 -o tm.csv").status, 0);
  const ProgramRun tight = run("simulate small.yaml --spin-up 0 -o tm2.csv --max-output '1 kB'");
  EXPECT_EQ(tight.status, 2) << tight.err;
  EXPECT_NE(tight.err.find("above --max-output 1 kB"), std::string::npos) << tight.err;
  const ProgramRun bad = run("simulate small.yaml --spin-up 0 -o tm2.csv --max-output lots");
  EXPECT_EQ(bad.status, 2) << bad.err;
  EXPECT_NE(bad.err.find("--max-output: cannot read 'lots'"), std::string::npos) << bad.err;
}

// A real child process and a real signal: the temporary is removed and the child dies of it.
void interruptMidRun(const std::filesystem::path& dir, int signal) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execl(LEAKHUNT_BINARY, LEAKHUNT_BINARY, "simulate", "long.yaml", "--spin-up", "0", "-o",
            "tm.csv", "--truth", "truth.csv", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Bounded wait for the run to be writing (its temporary exists), then the signal.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const std::string temporary = "tm.csv.tmp." + std::to_string(child);
  int status = 0;
  bool exited = false;
  while (!std::filesystem::exists(dir / temporary) && std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(child, &status, WNOHANG) == child) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_FALSE(exited) << "the run ended before it was interrupted";
  ASSERT_TRUE(std::filesystem::exists(dir / temporary)) << "no temporary within 60 s";
  ::kill(child, signal);
  while (::waitpid(child, &status, WNOHANG) != child) {
    if (std::chrono::steady_clock::now() > deadline + std::chrono::seconds(30)) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      FAIL() << "the run did not stop on signal " << signal;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(WIFSIGNALED(status)) << status;
  if (WIFSIGNALED(status)) {
    EXPECT_EQ(WTERMSIG(status), signal);
  }
  for (const auto& e : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos)
        << e.path() << " was left behind";
  EXPECT_FALSE(std::filesystem::exists(dir / "tm.csv"));
}

TEST_F(Output, sigint_and_sigterm_remove_the_temporaries) {
  writeScenario("long.yaml", "10 day", "1 s");  // minutes of work: it is stopped long before
  interruptMidRun(dir, SIGINT);
  interruptMidRun(dir, SIGTERM);
}

TEST_F(Output, channel_names_with_a_comma_or_a_quote_are_quoted_and_read_back) {
  const std::string base = slurp(station());
  std::string odd = base;
  const auto replace = [&](const std::string& from, const std::string& to) {
    odd.replace(odd.find(from), from.size(), to);
  };
  replace("{channel: module-a.pressure,", "{channel: 'a,b\"x',");
  replace("{channel: module-b.pressure,", "{channel: 'b \"p\", kPa',");
  writeFile("odd.yaml", odd);
  EXPECT_EQ(run("check odd.yaml").status, 0);
  writeScenario("odd-run.yaml", "2 h", "10 s", (dir / "odd.yaml").string());
  const ProgramRun sim = run("simulate odd-run.yaml --spin-up 0 -o tm.csv");
  ASSERT_EQ(sim.status, 0) << sim.err;
  const std::string text = slurp(dir / "tm.csv");
  EXPECT_NE(text.find(",\"a,b\"\"x\","), std::string::npos) << text.substr(0, 400);
  EXPECT_NE(text.find(",\"b \"\"p\"\", kPa\","), std::string::npos) << text.substr(0, 400);
  const ProgramRun det = run("detect odd.yaml tm.csv");
  EXPECT_EQ(det.status, 0) << det.err;
  EXPECT_EQ(det.err.find("match no sensor"), std::string::npos) << det.err;
  EXPECT_NE(det.out.find("no leak found in the 1 watched segment(s)"), std::string::npos)
      << det.out;

  std::string empty = base;
  const std::string first = "{channel: module-a.pressure,";
  empty.replace(empty.find(first), first.size(), "{channel: '',");
  writeFile("empty.yaml", empty);
  const ProgramRun check = run("check empty.yaml");
  EXPECT_NE(check.status, 0) << check.err;
  EXPECT_NE(check.err.find("empty.yaml:16:"), std::string::npos) << check.err;
  EXPECT_NE(check.err.find("sensor channel '' must not be empty or hold a line break"),
            std::string::npos)
      << check.err;
}

}  // namespace
}  // namespace leakhunt::testing
