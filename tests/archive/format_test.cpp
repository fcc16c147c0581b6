// The hash rules (independent known answers, computed with Python's hashlib from the rule in
// docs/server.md) and what happens to an archive of another format.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "archive/archive.hpp"
#include "archive/schema.hpp"
#include "archive/verify.hpp"
#include "archive_fixture.hpp"

namespace leakhunt::archive {
namespace {

TEST(EntryHash, fields_cannot_run_into_each_other) {
  // Joined with newlines these two entries were the same hash input.
  EXPECT_NE(entryHash(kGenesisHash, 1, 1.6e9, "action", "a\nb", "{}"),
            entryHash(kGenesisHash, 1, 1.6e9, "action", "a", "b\n{}"));
  EXPECT_NE(entryHash(kGenesisHash, 1, 1.6e9, "token", "ada", "x"),
            entryHash(kGenesisHash, 1, 1.6e9, "tokena", "da", "x"));
}

TEST(EntryHash, is_sha256_of_length_prefixed_fields) {
  // sha256(b"".join(len(f).to_bytes(8, "little") + f for f in [b"leakhunt-audit-2", b"0" * 64,
  //        b"1", b"1535572800.5", b"action", b"ada", b'{"kind":"ack","alarm":1}']))
  EXPECT_EQ(
      entryHash(kGenesisHash, 1, 1535572800.5, "action", "ada", R"({"kind":"ack","alarm":1})"),
      "9c1e63c16dfdbb07ce310c467e6786ca315b53e3a9a6a195de74e8dd2f4c8e16");
}

TEST(BatchDigest, names_channels_in_name_order) {
  // sha256 over (len(name) as 8 bytes LE, name, time and value as LE doubles), sorted by name:
  // the Soyuz channel first although it is given second.
  const std::string zvezda = "zvezda.pressure", soyuz = "soyuz-ms09-om.pressure";
  std::vector<NamedSample> s{{&zvezda, 1535572800.0, 101325.0}, {&soyuz, 1535572801.0, 101300.0}};
  EXPECT_EQ(batchDigest(s), "102a86fa3f07c6732e3df97cfa8e12080c14e5f13d596c741b443a6c4ad0a73f");
  const std::string other = "zarya.pressure";
  std::vector<NamedSample> renamed{{&other, 1535572800.0, 101325.0},
                                   {&soyuz, 1535572801.0, 101300.0}};
  EXPECT_NE(batchDigest(renamed), batchDigest(s));
}

class Format : public testing::ArchiveTest {
 protected:
  void setUserVersion(int version) { tamper("PRAGMA user_version = " + std::to_string(version)); }
};

TEST_F(Format, a_new_archive_is_stamped_with_the_current_format) {
  fill(1, 1);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), kArchiveFormat);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(Format, an_archive_of_the_first_format_is_refused_with_what_to_do) {
  // What the first format looked like on disk: the same tables, user_version never set.
  fill(1, 1);
  setUserVersion(0);
  auto w = ArchiveWriter::open(path);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("archive format 1"), std::string::npos) << w.error().message;
  EXPECT_NE(w.error().message.find("--db NEW.leakhunt.db"), std::string::npos);
  auto v = verifyArchive(path);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("archive format 1"), std::string::npos);
  EXPECT_FALSE(ArchiveReader::open(path));
  EXPECT_EQ(auditVerifyExitCode(), 2);
}

TEST_F(Format, an_archive_of_a_newer_format_is_refused) {
  fill(1, 1);
  setUserVersion(kArchiveFormat + 1);
  auto w = ArchiveWriter::open(path);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("newer"), std::string::npos) << w.error().message;
  EXPECT_EQ(auditVerifyExitCode(), 2);
}

TEST_F(Format, a_second_writer_continues_the_chain) {
  fill(2, 3);
  {
    auto w = ArchiveWriter::open(path);
    ASSERT_TRUE(w) << w.error().message;
    Record r{RecordKind::Ingest, 1.6e9, "sim", "", {{1.6e9, a, 100000.0}, {1.6e9, b, 99000.0}}};
    (*w)->append(std::span<Record>(&r, 1), channels);
  }
  const VerifyReport v = verify();
  EXPECT_TRUE(v.intact());
  EXPECT_EQ(v.entries, 6);  // two channels (logged once), three batches, one action
}

}  // namespace
}  // namespace leakhunt::archive
