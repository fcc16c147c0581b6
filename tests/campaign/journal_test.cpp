// The campaign journal: exact round trips, torn lines from a killed process, another plan's
// journal refused, and the split of runs across MPI ranks.
#include "campaign/journal.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "campaign/distributed.hpp"
#include "program.hpp"

namespace leakhunt::campaign {
namespace {

std::vector<PlannedRun> somePlan(int n) {
  std::vector<PlannedRun> plan(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    plan[i].size = i % 3 - 1;
    plan[i].scenarioText = "run " + std::to_string(i);
    plan[i].duration_s = 3600.0 * (1 + (i * 7) % 5);
  }
  return plan;
}

RunRecord someRecord(const std::vector<PlannedRun>& plan, std::size_t i) {
  RunRecord r;
  r.plan = plan[i];
  r.ok = true;
  r.outcome.detected = i % 2 == 0;
  r.outcome.delay_s = r.outcome.detected ? 612.0 + 1.0 / 3.0 : harness::kNever;
  r.outcome.rate_kg_s = 4.8213e-4 + 1e-19 * static_cast<double>(i);
  r.outcome.rateSigma_kg_s = 0.1 + 0.2;  // not exactly 0.3: must come back bit for bit
  r.outcome.alarms.push_back(
      {1.5e9 + 0.125, 1.5e9 - 33.3, 5.1e-4, {0, 3, 7}, true, 5.0 + 1.0 / 3.0, 4.958});
  detect::SensorFault f;
  f.channel = 4;
  f.kind = detect::SensorFaultKind::BiasJump;
  f.start_s = 1.5e9;
  f.end_s = 1.5e9 + 60;
  f.ongoing = false;
  f.magnitude = -266.6;
  r.outcome.faults.push_back(f);
  r.outcome.segmentSeconds = 86400.0 / 7.0;
  r.outcome.excursions = {int(i) + 40, 9, 2, 1};
  return r;
}

TEST(Journal, a_record_comes_back_bit_for_bit) {
  const auto plan = somePlan(4);
  for (std::size_t i : {0u, 1u}) {
    const RunRecord r = someRecord(plan, i);
    auto back = parseRecordLine(recordLine(i, r), plan);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->first, i);
    const harness::RunOutcome& o = back->second.outcome;
    EXPECT_EQ(back->second.plan.scenarioText, plan[i].scenarioText);
    EXPECT_EQ(o.detected, r.outcome.detected);
    EXPECT_EQ(o.delay_s, r.outcome.delay_s);  // including a miss (infinity)
    EXPECT_EQ(o.rate_kg_s, r.outcome.rate_kg_s);
    EXPECT_EQ(o.rateSigma_kg_s, r.outcome.rateSigma_kg_s);
    EXPECT_EQ(o.segmentSeconds, r.outcome.segmentSeconds);
    EXPECT_EQ(o.excursions, r.outcome.excursions);
    ASSERT_EQ(o.alarms.size(), 1u);
    EXPECT_EQ(o.alarms[0].onset_s, r.outcome.alarms[0].onset_s);
    EXPECT_EQ(o.alarms[0].modules, r.outcome.alarms[0].modules);
    EXPECT_EQ(o.alarms[0].statistic, r.outcome.alarms[0].statistic);
    EXPECT_EQ(o.alarms[0].threshold, r.outcome.alarms[0].threshold);
    ASSERT_EQ(o.faults.size(), 1u);
    EXPECT_EQ(o.faults[0].kind, detect::SensorFaultKind::BiasJump);
    EXPECT_EQ(o.faults[0].magnitude, -266.6);
    // Same line again: nothing was lost on the way.
    EXPECT_EQ(recordLine(i, back->second), recordLine(i, r));
  }
}

TEST(Journal, a_record_outside_the_plan_or_malformed_is_an_error) {
  const auto plan = somePlan(2);
  EXPECT_FALSE(parseRecordLine(recordLine(5, someRecord(plan, 0)), plan).ok());
  EXPECT_FALSE(parseRecordLine("{\"run\": 0}", plan).ok());
  EXPECT_FALSE(parseRecordLine("not json", plan).ok());
  EXPECT_FALSE(parseRecordLine("{\"run\": -1}", plan).ok());
}

class JournalFiles : public ::testing::Test {
 protected:
  void SetUp() override { dir = testing::scratchDir("journal"); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(JournalFiles, parts_of_every_rank_are_read_and_a_torn_last_line_is_dropped) {
  const auto plan = somePlan(6);
  const std::string path = (dir / "j.jsonl").string();
  {
    auto r0 = JournalWriter::open(path, 0, "fp");
    auto r1 = JournalWriter::open(path, 1, "fp");
    ASSERT_TRUE(r0.ok() && r1.ok());
    ASSERT_TRUE((*r0)->append(0, someRecord(plan, 0)).ok());
    ASSERT_TRUE((*r1)->append(3, someRecord(plan, 3)).ok());
    ASSERT_TRUE((*r1)->append(4, someRecord(plan, 4)).ok());
  }
  // A process killed while writing run 5: half a line, no newline.
  const std::string line5 = recordLine(5, someRecord(plan, 5));
  std::ofstream(path, std::ios::app) << line5.substr(0, line5.size() / 2);
  auto done = loadJournal(path, "fp", plan);
  ASSERT_TRUE(done.ok()) << done.error().message;
  std::vector<std::size_t> indices;
  for (const auto& kv : *done) indices.push_back(kv.first);
  EXPECT_EQ(indices, (std::vector<std::size_t>{0, 3, 4}));
  // Appending again first cuts the torn line, so the file stays whole lines.
  {
    auto again = JournalWriter::open(path, 0, "fp");
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE((*again)->append(5, someRecord(plan, 5)).ok());
  }
  done = loadJournal(path, "fp", plan);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->size(), 4u);
  const std::string text = testing::slurp(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);  // header, run 0, run 5
}

TEST_F(JournalFiles, another_plans_journal_or_a_damaged_line_is_refused) {
  const auto plan = somePlan(3);
  const std::string path = (dir / "j.jsonl").string();
  {
    auto w = JournalWriter::open(path, 0, "fp-a");
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->append(1, someRecord(plan, 1)).ok());
  }
  auto other = loadJournal(path, "fp-b", plan);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find(path + ":1: this journal belongs to another"),
            std::string::npos);
  // A damaged line in the middle is not a torn last line: refuse, with the line number.
  std::ofstream(path, std::ios::app) << "{garbage\n" << recordLine(2, someRecord(plan, 2)) << "\n";
  auto damaged = loadJournal(path, "fp-a", plan);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().message.find(path + ":3:"), std::string::npos)
      << damaged.error().message;
  std::ofstream(dir / "x.jsonl") << "hello\n";
  auto foreign = loadJournal((dir / "x.jsonl").string(), "fp-a", plan);
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message.find("not a leakhunt campaign journal"), std::string::npos);
  removeJournal(path);
  EXPECT_TRUE(journalParts(path).empty());
  EXPECT_TRUE(loadJournal(path, "fp-b", plan).ok());  // nothing there: nothing done
}

TEST(RankShare, every_run_goes_to_exactly_one_rank_with_balanced_time) {
  const auto plan = somePlan(37);
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < plan.size(); ++i)
    if (i % 5 != 2) todo.push_back(i);  // some already done
  for (int ranks : {1, 2, 3, 8}) {
    std::vector<int> seen(plan.size(), 0);
    double most = 0.0, least = 1e300, longest = 0.0;
    for (int r = 0; r < ranks; ++r) {
      double t = 0.0;
      for (std::size_t i : shareOf(plan, todo, r, ranks)) {
        ++seen[i];
        t += plan[i].duration_s;
        longest = std::max(longest, plan[i].duration_s);
      }
      most = std::max(most, t);
      least = std::min(least, t);
      EXPECT_EQ(shareOf(plan, todo, r, ranks), shareOf(plan, todo, r, ranks));
    }
    for (std::size_t i = 0; i < plan.size(); ++i) EXPECT_EQ(seen[i], i % 5 != 2 ? 1 : 0);
    // Longest-first greedy: no rank has more than one run's worth above another.
    EXPECT_LE(most - least, longest) << ranks << " ranks";
  }
}

TEST(Fingerprint, changes_with_any_planned_run) {
  CampaignSpec spec;
  auto plan = somePlan(4);
  const std::string a = planFingerprint(spec, plan);
  EXPECT_EQ(a, planFingerprint(spec, plan));
  plan[2].scenarioText += " ";
  EXPECT_NE(a, planFingerprint(spec, plan));
  plan = somePlan(4);
  spec.falseAlarmsPerYear = 2.0;
  EXPECT_NE(a, planFingerprint(spec, plan));
  EXPECT_NE(planFingerprint(CampaignSpec{}, somePlan(3)), a);
}

}  // namespace
}  // namespace leakhunt::campaign
