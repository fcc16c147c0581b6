// A scratch archive in its own directory, filled through the writer, and tampered with the way
// someone holding the file would: with SQLite, past the append-only triggers.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "archive/archive.hpp"
#include "archive/verify.hpp"

namespace leakhunt::archive::testing {

namespace fs = std::filesystem;

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() / ("leakhunt-archive-" + std::to_string(::getpid()) + "-" +
                                       info->test_suite_name() + "-" + info->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    path = (dir / "run.db").string();
    a = channels.intern("zvezda.pressure");
    b = channels.intern("soyuz-ms09-om.pressure");
  }
  void TearDown() override { fs::remove_all(dir); }

  // `batches` ingest batches of `perBatch` samples per channel at 1 Hz, and one action.
  void fill(int batches, int perBatch, double skipFrom = -1, double skipTo = -1) {
    auto w = ArchiveWriter::open(path);
    ASSERT_TRUE(w) << w.error().message;
    double t = 1.535e9;
    for (int i = 0; i < batches; ++i) {
      Record r{RecordKind::Ingest, t, "sim", "", {}};
      for (int k = 0; k < perBatch; ++k, t += 1.0) {
        if (t >= skipFrom && t < skipTo) continue;
        r.samples.push_back({t, a, 101325.0 - t * 1e-6});
        r.samples.push_back({t, b, 101300.0});
      }
      (*w)->append(std::span<Record>(&r, 1), channels);
    }
    Record act{RecordKind::Action, t, "alice", R"({"kind":"hatch","hatch":"h1","open":false})", {}};
    (*w)->append(std::span<Record>(&act, 1), channels);
  }

  // Past the triggers: an attacker with the file drops them first.
  void tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TEMP TABLE doomed AS SELECT name FROM sqlite_master "
                           "WHERE type = 'trigger'",
                           nullptr, nullptr, &err),
              SQLITE_OK)
        << err;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM doomed", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
      sqlite3_exec(
          db,
          (std::string("DROP TRIGGER ") + reinterpret_cast<const char*>(sqlite3_column_text(st, 0)))
              .c_str(),
          nullptr, nullptr, nullptr);
    sqlite3_finalize(st);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
    sqlite3_close(db);
  }

  VerifyReport verify() {
    auto r = verifyArchive(path);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : VerifyReport{};
  }

  // The sequence number of the k-th ingest entry (from 0).
  std::int64_t ingestSeq(std::size_t k) {
    auto r = ArchiveReader::open(path);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    if (!r) return -1;
    const auto e = (*r)->entries(RecordKind::Ingest, 0, 2e9, 1000);
    EXPECT_LT(k, e.size());
    return k < e.size() ? e[k].seq : -1;
  }

  // `leakhunt ARGS` with at most a minute to finish (timeout(1) exits 124 otherwise), its
  // standard error in `stderrText`: the exit status, or -1 for a signal.
  int runLeakhunt(const std::string& args, std::string* stderrText = nullptr) {
    const fs::path err = dir / "stderr.txt";
    const std::string cmd = "timeout 60 " + std::string(LEAKHUNT_BINARY) + " " + args +
                            " > /dev/null 2> " + err.string();
    const int status = std::system(cmd.c_str());
    if (stderrText) {
      std::ifstream in(err);
      stderrText->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // `leakhunt audit verify` on the archive: its exit status (0 intact, 1 tampered, 2 unreadable).
  int auditVerifyExitCode() { return runLeakhunt("audit verify " + path); }

  fs::path dir;
  std::string path;
  telemetry::ChannelTable channels;
  int a = 0, b = 0;
};

// Whether any problem's text contains `word`.
inline bool mentions(const VerifyReport& v, const std::string& word) {
  for (const AuditProblem& p : v.problems)
    if (p.what.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace leakhunt::archive::testing
