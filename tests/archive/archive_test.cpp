// The archive keeps what it acknowledged, and its audit log gives away any edit.
#include "archive/archive.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "archive/sha256.hpp"
#include "archive/verify.hpp"
#include "archive_fixture.hpp"

namespace leakhunt::archive {
namespace {

using testing::ArchiveTest;

TEST_F(ArchiveTest, acknowledged_batches_are_there_after_reopening) {
  fill(5, 10);
  auto r = ArchiveReader::open(path);
  ASSERT_TRUE(r);
  const auto h = (*r)->history("zvezda.pressure", 0, 2e9);
  ASSERT_EQ(h.size(), 50u);
  EXPECT_DOUBLE_EQ(h.front().time_s, 1.535e9);
  EXPECT_DOUBLE_EQ(h.back().time_s, 1.535e9 + 49);
  EXPECT_DOUBLE_EQ(h[3].value, 101325.0 - (1.535e9 + 3) * 1e-6);
  const auto acts = (*r)->entries(RecordKind::Action, 0, 2e9, 10);
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].actor, "alice");
}

TEST_F(ArchiveTest, archive_is_in_wal_mode) {
  fill(1, 1);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(ArchiveTest, history_bounds_are_inclusive_and_latest_is_at_or_before) {
  fill(1, 10);
  auto r = ArchiveReader::open(path);
  const auto h = (*r)->history("zvezda.pressure", 1.535e9 + 2, 1.535e9 + 4);
  ASSERT_EQ(h.size(), 3u);
  const auto l = (*r)->latest("zvezda.pressure", 1.535e9 + 4.5);
  ASSERT_TRUE(l);
  EXPECT_DOUBLE_EQ(l->time_s, 1.535e9 + 4);
  EXPECT_TRUE((*r)->history("no.such", 0, 2e9).empty());
}

TEST_F(ArchiveTest, untouched_log_verifies_and_counts_everything) {
  fill(4, 25);
  const VerifyReport v = verify();
  EXPECT_TRUE(v.intact());
  EXPECT_EQ(v.entries, 7);  // two channels, four batches, one action
  EXPECT_EQ(v.samples, 200);
  EXPECT_EQ(v.headHash.size(), 64u);
  EXPECT_TRUE(v.gaps.empty());
}

TEST_F(ArchiveTest, the_log_refuses_updates_and_deletes) {
  fill(1, 1);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit SET actor='mallory'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM samples", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_TRUE(verify().intact());
}

TEST_F(ArchiveTest, edited_action_is_detected) {
  fill(3, 5);
  tamper("UPDATE audit SET actor='bob' WHERE kind='action'");
  const VerifyReport v = verify();
  ASSERT_FALSE(v.intact());
  EXPECT_EQ(v.problems[0].seq, ingestSeq(2) + 1);
  EXPECT_NE(v.problems[0].what.find("edited"), std::string::npos);
}

TEST_F(ArchiveTest, rehashed_edit_still_breaks_the_chain) {
  fill(3, 5);
  // An editor who recomputes the edited entry's own hash breaks the next entry's link.
  auto conn = ArchiveReader::open(path);
  const auto e = (*conn)->entries(RecordKind::Ingest, 0, 2e9, 10)[1];
  const std::string forged = entryHash(e.prevHash, e.seq, e.time_s, e.kind, "mallory", e.payload);
  tamper("UPDATE audit SET actor='mallory', hash='" + forged +
         "' WHERE seq=" + std::to_string(e.seq));
  const VerifyReport v = verify();
  ASSERT_FALSE(v.intact());
  EXPECT_EQ(v.problems[0].seq, e.seq + 1);
}

TEST_F(ArchiveTest, deleted_entry_is_detected) {
  fill(3, 5);
  tamper("DELETE FROM audit WHERE seq=2");
  const VerifyReport v = verify();
  ASSERT_FALSE(v.intact());
  EXPECT_NE(v.problems[0].what.find("missing"), std::string::npos);
}

TEST_F(ArchiveTest, reordered_entries_are_detected) {
  fill(3, 5);
  // Swap the content of entries 2 and 3, keeping each one's own hash consistent.
  tamper(
      "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (2,3);"
      "UPDATE audit SET time_s=(SELECT time_s FROM t WHERE seq=3), payload=(SELECT payload FROM t "
      "WHERE seq=3), hash=(SELECT hash FROM t WHERE seq=3), prev_hash=(SELECT prev_hash FROM t "
      "WHERE seq=3) WHERE seq=2;"
      "UPDATE audit SET time_s=(SELECT time_s FROM t WHERE seq=2), payload=(SELECT payload FROM t "
      "WHERE seq=2), hash=(SELECT hash FROM t WHERE seq=2), prev_hash=(SELECT prev_hash FROM t "
      "WHERE seq=2) WHERE seq=3;");
  const VerifyReport v = verify();
  ASSERT_FALSE(v.intact());
  EXPECT_EQ(v.problems[0].seq, 2);
}

TEST_F(ArchiveTest, edited_sample_is_detected) {
  fill(3, 5);
  tamper(
      "UPDATE samples SET value = value + 1 WHERE channel = 1 AND time_s = (SELECT min(time_s) "
      "FROM samples)");
  VerifyReport v = verify();
  ASSERT_FALSE(v.intact());
  EXPECT_NE(v.problems[0].what.find("edited"), std::string::npos);
}

TEST_F(ArchiveTest, deleted_batch_of_samples_is_detected) {
  fill(3, 5);
  const std::int64_t second = ingestSeq(1);
  tamper("DELETE FROM samples WHERE batch = " + std::to_string(second));
  const VerifyReport v = verify();
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_EQ(v.problems[0].seq, second);
}

TEST_F(ArchiveTest, a_sensor_that_stopped_shows_as_a_gap_with_start_and_end) {
  const double t0 = 1.535e9;
  fill(1, 600, t0 + 100, t0 + 400);  // both channels silent for 300 s
  const VerifyReport v = verify();
  EXPECT_TRUE(v.intact());
  ASSERT_EQ(v.gaps.size(), 2u);
  for (const TelemetryGap& g : v.gaps) {
    EXPECT_DOUBLE_EQ(g.start_s, t0 + 99);
    EXPECT_DOUBLE_EQ(g.end_s, t0 + 400);
    EXPECT_FALSE(g.open);
  }
}

TEST_F(ArchiveTest, audit_verify_command_exits_0_when_intact_and_1_when_tampered) {
  fill(2, 5);
  EXPECT_EQ(auditVerifyExitCode(), 0);
  tamper("UPDATE audit SET payload='{}' WHERE kind='action'");
  EXPECT_EQ(auditVerifyExitCode(), 1);
}

TEST(FindGaps, a_channel_that_never_came_back_has_an_open_gap) {
  std::vector<double> t;
  for (int i = 0; i < 100; ++i) t.push_back(i);
  const auto g = findGaps("c", t, 1000.0, {});
  ASSERT_EQ(g.size(), 1u);
  EXPECT_TRUE(g[0].open);
  EXPECT_DOUBLE_EQ(g[0].start_s, 99.0);
  EXPECT_DOUBLE_EQ(g[0].end_s, 1000.0);
}

TEST(Sha256, matches_the_published_test_vector) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ConstantTimeEqual, tells_equal_from_unequal) {
  EXPECT_TRUE(constantTimeEqual("abcd", "abcd"));
  EXPECT_FALSE(constantTimeEqual("abcd", "abce"));
  EXPECT_FALSE(constantTimeEqual("abc", "abcd"));
}

}  // namespace
}  // namespace leakhunt::archive
