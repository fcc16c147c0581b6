// `leakhunt campaign` as users run it: one process, two MPI ranks, stopped and resumed. The
// answers must be the same whichever way the runs were spread, for the same seeds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "program.hpp"

namespace leakhunt::testing {
namespace {

const std::string kSpec = LEAKHUNT_SOURCE_DIR "/data/campaigns/two-module-smoke.yaml";

// What depends on the simulation and detection only (not on wall time, threads or ranks).
nlohmann::json answers(const std::string& out) {
  const nlohmann::json doc = nlohmann::json::parse(out);
  return {{"runs", doc.at("runs")},
          {"simulated_days", doc.at("simulated_days")},
          {"false_alarms", doc.at("false_alarms")},
          {"sizes", doc.at("sizes")},
          {"alarms", doc.at("alarms")}};
}

// mpirun as the tests may run it: as root in a container, on a machine with fewer cores. In the
// ASan build, LeakSanitizer is off for the ranks only: Open MPI unloads its components at
// MPI_Finalize, so the allocations they keep to the end cannot be named for a suppression. The
// single-process runs of the same tests keep leak checking on for leakhunt's own code.
std::string mpirun(int ranks) {
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ASAN_OPTIONS=detect_leaks=0 "
         "mpirun --oversubscribe -np " +
         std::to_string(ranks) + " ";
}

class CampaignCommand : public ::testing::Test {
 protected:
  void SetUp() override { dir = scratchDir("campaign-cmd"); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  ProgramRun campaign(const std::string& extra, const std::string& prefix = "") {
    return runShell(prefix + "'" + LEAKHUNT_BINARY + "' campaign '" + kSpec + "' --json " + extra,
                    dir);
  }
  std::filesystem::path dir;
};

TEST_F(CampaignCommand, two_mpi_ranks_give_the_single_process_answers) {
  const ProgramRun one = campaign("--threads 1 --journal one.jsonl");
  ASSERT_EQ(one.status, 0) << one.err;
  const ProgramRun two = campaign("--threads 1 --journal two.jsonl", mpirun(2));
  ASSERT_EQ(two.status, 0) << two.err;
  const nlohmann::json doc = nlohmann::json::parse(two.out);
  EXPECT_EQ(doc.at("ranks"), 2);
  EXPECT_EQ(nlohmann::json::parse(one.out).at("ranks"), 1);
  EXPECT_EQ(answers(one.out), answers(two.out));
  // Leaks were found: the comparison is not between two empty documents.
  EXPECT_GT(doc.at("sizes").at(0).at("detected").get<int>(), 0);
  // Each rank streamed its own part of the journal.
  EXPECT_TRUE(std::filesystem::exists(dir / "two.jsonl"));
  EXPECT_TRUE(std::filesystem::exists(dir / "two.jsonl.rank-1"));
}

TEST_F(CampaignCommand, a_stopped_campaign_resumes_to_the_same_answers) {
  const ProgramRun whole = campaign("--threads 2 --journal whole.jsonl");
  ASSERT_EQ(whole.status, 0) << whole.err;
  const ProgramRun first = campaign("--threads 2 --stop-after 3 --journal part.jsonl");
  EXPECT_EQ(first.status, 3) << first.err;
  EXPECT_NE(first.err.find("run the same command again to resume"), std::string::npos);
  EXPECT_TRUE(first.out.empty());  // no half report
  // Header plus the three runs done.
  const std::string journal = slurp(dir / "part.jsonl");
  EXPECT_EQ(std::count(journal.begin(), journal.end(), '\n'), 4);
  const ProgramRun rest = campaign("--threads 2 --journal part.jsonl");
  ASSERT_EQ(rest.status, 0) << rest.err;
  EXPECT_EQ(nlohmann::json::parse(rest.out).at("resumed_runs"), 3);
  EXPECT_EQ(answers(whole.out), answers(rest.out));
}

TEST_F(CampaignCommand, resuming_under_mpi_a_journal_of_one_process) {
  const ProgramRun whole = campaign("--threads 1 --no-journal");
  ASSERT_EQ(whole.status, 0) << whole.err;
  ASSERT_EQ(campaign("--threads 1 --stop-after 5 --journal j.jsonl").status, 3);
  const ProgramRun rest = campaign("--threads 1 --journal j.jsonl", mpirun(2));
  ASSERT_EQ(rest.status, 0) << rest.err;
  EXPECT_EQ(nlohmann::json::parse(rest.out).at("resumed_runs"), 5);
  EXPECT_EQ(answers(whole.out), answers(rest.out));
}

TEST_F(CampaignCommand, runs_overrides_the_spec_and_a_changed_plan_gets_its_own_journal) {
  const ProgramRun r = campaign("--threads 2 --runs 1 --leak-free-runs 0");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("runs"), 2);  // one per size, two sizes
  for (const auto& s : doc.at("sizes")) EXPECT_EQ(s.at("runs"), 1);
  // The default journal is named by the plan: a second plan does not collide with it.
  const ProgramRun other = campaign("--threads 2 --runs 2 --leak-free-runs 0");
  ASSERT_EQ(other.status, 0) << other.err;
  EXPECT_EQ(nlohmann::json::parse(other.out).at("resumed_runs"), 0);
  int journals = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    journals += e.path().string().ends_with(".campaign.jsonl");
  EXPECT_EQ(journals, 2);
}

TEST_F(CampaignCommand, a_journal_of_another_plan_is_refused) {
  ASSERT_EQ(campaign("--threads 2 --runs 1 --leak-free-runs 0 --journal j.jsonl").status, 0);
  const ProgramRun r = campaign("--threads 2 --runs 2 --leak-free-runs 0 --journal j.jsonl");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("j.jsonl:1: this journal belongs to another campaign plan"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
  const ProgramRun fresh =
      campaign("--threads 2 --runs 2 --leak-free-runs 0 --journal j.jsonl --fresh");
  EXPECT_EQ(fresh.status, 0) << fresh.err;
}

TEST_F(CampaignCommand, bad_specs_and_arguments_fail_with_a_message) {
  std::ofstream(dir / "broken.yaml") << "name: [unclosed\n";
  std::ofstream(dir / "unknown.yaml")
      << "station: " LEAKHUNT_SOURCE_DIR "/data/stations/two-module.yaml\nleak_runz: {}\n";
  std::ofstream(dir / "nostation.yaml") << "name: x\nstation: nowhere.yaml\n";
  std::ofstream(dir / "list.yaml") << "- 1\n- 2\n";
  const struct {
    std::string args, message;
  } cases[] = {
      {"campaign missing.yaml", "missing.yaml"},
      {"campaign broken.yaml --no-journal", "broken.yaml"},
      {"campaign unknown.yaml --no-journal", "unknown key 'leak_runz'"},
      {"campaign nostation.yaml --no-journal", "nowhere.yaml"},
      {"campaign list.yaml --no-journal", "expected a mapping (key: value) at the top level"},
      {"campaign '" + kSpec + "' --runs -3", "--runs"},
      {"campaign '" + kSpec + "' --threads 0", "--threads"},
      {"campaign '" + kSpec + "' --runs many", "--runs"},
      {"campaign '" + kSpec + "' --runs 2000000", "--runs"},
  };
  for (const auto& c : cases) {
    const ProgramRun r = runLeakhunt(c.args, dir);
    EXPECT_NE(r.status, 0) << c.args;
    EXPECT_LT(r.status, 128) << c.args << " crashed: " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
  }
}

}  // namespace
}  // namespace leakhunt::testing
