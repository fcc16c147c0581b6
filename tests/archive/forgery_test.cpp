// The forgeries of the security issue: the channel catalogue and the tokens are edited behind
// the audit log's back, on the file, with SQLite. Each must make `audit verify` fail, and the
// writer (the server, on start) must refuse the file, though the log itself and its head hash
// are untouched.
#include <gtest/gtest.h>

#include <string>

#include "archive/archive.hpp"
#include "archive/sha256.hpp"
#include "archive/verify.hpp"
#include "archive_fixture.hpp"

namespace leakhunt::archive {
namespace {

class Forgery : public testing::ArchiveTest {
 protected:
  // Two pressure channels with samples, and the tokens of a small control room.
  void SetUp() override {
    ArchiveTest::SetUp();
    fill(3, 5);
    auto w = ArchiveWriter::open(path);
    ASSERT_TRUE(w) << w.error().message;
    (*w)->addToken({sha256Hex("viewer-token-0123456789"), "victor", "viewer"}, "admin", 1.6e9);
    (*w)->addToken({sha256Hex("admin-token-0123456789ab"), "ada", "admin"}, "admin", 1.6e9 + 1);
    const VerifyReport before = verify();
    ASSERT_TRUE(before.intact());
    headBefore = before.headHash;
  }

  // Verifies the forged file: tampered, with the head hash it had before, and found by the
  // command too. Returns the report for the caller's own checks.
  VerifyReport expectForged() {
    const VerifyReport v = verify();
    EXPECT_FALSE(v.intact());
    EXPECT_EQ(v.headHash, headBefore) << "the forgery was meant to leave the log alone";
    EXPECT_EQ(auditVerifyExitCode(), 1);
    return v;
  }

  void expectWriterRefuses() {
    auto w = ArchiveWriter::open(path);
    ASSERT_FALSE(w) << "a server would start on the forged tables";
    EXPECT_NE(w.error().message.find("audit verify"), std::string::npos) << w.error().message;
  }

  std::string headBefore;
};

TEST_F(Forgery, swapped_channel_names_are_detected) {
  // zvezda's samples would be served as the Soyuz orbital module's, and the other way round.
  tamper(
      "UPDATE channels SET name = 'swap' WHERE name = 'zvezda.pressure';"
      "UPDATE channels SET name = 'zvezda.pressure' WHERE name = 'soyuz-ms09-om.pressure';"
      "UPDATE channels SET name = 'soyuz-ms09-om.pressure' WHERE name = 'swap';");
  const VerifyReport v = expectForged();
  EXPECT_TRUE(testing::mentions(v, "renamed"));
  EXPECT_TRUE(testing::mentions(v, "the batch's samples were edited"))
      << "batch digests name channels, so they break too";
  expectWriterRefuses();
}

TEST_F(Forgery, viewer_made_admin_is_detected) {
  tamper("UPDATE tokens SET role = 'admin' WHERE name = 'victor'");
  const VerifyReport v = expectForged();
  EXPECT_TRUE(testing::mentions(v,
                                "\"victor\" has role \"admin\" but this entry gave it "
                                "\"viewer\" (role changed)"));
  expectWriterRefuses();
}

TEST_F(Forgery, inserted_backdoor_token_is_detected) {
  tamper("INSERT INTO tokens(hash, name, role) VALUES('" + sha256Hex("backdoor-0123456789") +
         "', 'maintenance', 'admin')");
  const VerifyReport v = expectForged();
  EXPECT_TRUE(testing::mentions(v,
                                "\"maintenance\" (\"admin\") is in the tokens table but no "
                                "audit entry created it (inserted)"));
  expectWriterRefuses();
}

TEST_F(Forgery, deleted_token_is_detected) {
  tamper("DELETE FROM tokens WHERE name = 'ada'");
  EXPECT_TRUE(testing::mentions(expectForged(), "\"ada\" created by this entry is missing"));
  expectWriterRefuses();
}

TEST_F(Forgery, replaced_token_hash_is_detected) {
  // Someone's name kept, with a token the forger knows.
  tamper("UPDATE tokens SET hash = '" + sha256Hex("forger-0123456789") + "' WHERE name = 'ada'");
  EXPECT_TRUE(testing::mentions(expectForged(), "\"ada\" has a hash this entry did not store"));
  expectWriterRefuses();
}

TEST_F(Forgery, deleted_channel_is_detected) {
  tamper("DELETE FROM channels WHERE name = 'soyuz-ms09-om.pressure'");
  const VerifyReport v = expectForged();
  EXPECT_TRUE(testing::mentions(v, "\"soyuz-ms09-om.pressure\" created by this entry is missing"));
  EXPECT_TRUE(testing::mentions(v, "which the catalogue lacks"));
  expectWriterRefuses();
}

TEST_F(Forgery, added_channel_is_detected) {
  tamper("INSERT INTO channels(name) VALUES('zarya.pressure')");
  EXPECT_TRUE(testing::mentions(expectForged(),
                                "\"zarya.pressure\" is in the catalogue but no "
                                "audit entry created it (inserted)"));
  expectWriterRefuses();
}

TEST_F(Forgery, the_three_forgeries_of_the_issue_together_are_detected) {
  tamper(
      "UPDATE channels SET name = 'swap' WHERE name = 'zvezda.pressure';"
      "UPDATE channels SET name = 'zvezda.pressure' WHERE name = 'soyuz-ms09-om.pressure';"
      "UPDATE channels SET name = 'soyuz-ms09-om.pressure' WHERE name = 'swap';"
      "UPDATE tokens SET role = 'admin' WHERE name = 'victor';"
      "INSERT INTO tokens(hash, name, role) VALUES('" +
      sha256Hex("backdoor-0123456789") + "', 'maintenance', 'admin')");
  const VerifyReport v = expectForged();
  EXPECT_TRUE(testing::mentions(v, "renamed"));
  EXPECT_TRUE(testing::mentions(v, "role changed"));
  EXPECT_TRUE(testing::mentions(v, "inserted"));
}

TEST_F(Forgery, leakhunt_serve_refuses_the_backdoored_archive_and_says_why) {
  tamper("INSERT INTO tokens(hash, name, role) VALUES('" + sha256Hex("backdoor-0123456789") +
         "', 'maintenance', 'admin')");
  std::string err;
  const int code = runLeakhunt("serve --station " + std::string(LEAKHUNT_SOURCE_DIR) +
                                   "/data/stations/iss-2018.yaml --port 0 --db " + path,
                               &err);
  EXPECT_EQ(code, 1) << "refused with a message, not crashed or served: " << err;
  EXPECT_NE(err.find("\"maintenance\""), std::string::npos) << err;
  EXPECT_NE(err.find("leakhunt audit verify"), std::string::npos) << err;
}

// What the server itself does to the tables must keep verifying.
TEST_F(Forgery, a_name_issued_again_replaces_its_token_and_still_verifies) {
  {
    auto w = ArchiveWriter::open(path);
    ASSERT_TRUE(w) << w.error().message;
    (*w)->addToken({sha256Hex("viewer-token-2-0123456789"), "victor", "operator"}, "ada", 1.7e9);
    const auto tokens = (*w)->tokens();
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens[1].name, "victor");
    EXPECT_EQ(tokens[1].role, "operator");
  }
  EXPECT_TRUE(verify().intact());
  EXPECT_TRUE(ArchiveWriter::open(path));
}

TEST_F(Forgery, a_channel_new_to_the_archive_is_logged_before_its_first_batch) {
  {
    auto w = ArchiveWriter::open(path);
    ASSERT_TRUE(w) << w.error().message;
    const int c = channels.intern("zarya.pressure");
    Record r{RecordKind::Ingest, 1.8e9, "olga", "", {{1.8e9, c, 100000.0}}};
    const auto seqs = (*w)->append(std::span<Record>(&r, 1), channels);
    auto reader = ArchiveReader::open(path);
    ASSERT_TRUE(reader) << reader.error().message;
    const auto logged = (*reader)->entries(RecordKind::Channel, 1.8e9, 1.8e9, 10);
    ASSERT_EQ(logged.size(), 1u);
    EXPECT_EQ(logged[0].seq, seqs[0] - 1);
    EXPECT_EQ(logged[0].actor, "olga");
    EXPECT_NE(logged[0].payload.find("\"zarya.pressure\""), std::string::npos);
  }
  EXPECT_TRUE(verify().intact());
}

}  // namespace
}  // namespace leakhunt::archive
