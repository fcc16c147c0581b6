#include "archive/schema.hpp"

#include <fmt/format.h>

namespace leakhunt::archive {

namespace {

// Samples are keyed by (channel, time): the server admits only increasing times per channel,
// so the key is unique and one B-tree serves both ingest and history (no second index).
constexpr const char* kSchema = R"sql(
CREATE TABLE channels(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE samples(
  channel INTEGER NOT NULL, time_s REAL NOT NULL, value REAL NOT NULL, batch INTEGER NOT NULL,
  PRIMARY KEY(channel, time_s)) WITHOUT ROWID;
CREATE TABLE audit(
  seq INTEGER PRIMARY KEY, time_s REAL NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL,
  payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_by_kind_time ON audit(kind, time_s);
CREATE TABLE tokens(hash TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER samples_no_update BEFORE UPDATE ON samples
  BEGIN SELECT RAISE(ABORT, 'archived samples are append-only'); END;
CREATE TRIGGER samples_no_delete BEFORE DELETE ON samples
  BEGIN SELECT RAISE(ABORT, 'archived samples are append-only'); END;
CREATE TRIGGER channels_no_update BEFORE UPDATE ON channels
  BEGIN SELECT RAISE(ABORT, 'the channel catalogue is append-only'); END;
CREATE TRIGGER channels_no_delete BEFORE DELETE ON channels
  BEGIN SELECT RAISE(ABORT, 'the channel catalogue is append-only'); END;
)sql";

int userVersion(Connection& db) {
  Statement q(db.get(), "PRAGMA user_version");
  return q.step() ? static_cast<int>(q.integer(0)) : 0;
}

bool hasAuditTable(Connection& db) {
  Statement q(db.get(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'");
  return q.step();
}

Result<bool> checkVersion(int version, bool hasTables, const std::string& path) {
  if (version == kArchiveFormat) return true;
  if (version == 0 && hasTables)
    return Error{fmt::format(
        "{}: archive format 1, written before the audit chain covered channels and tokens; "
        "this leakhunt reads and verifies format {} only. Keep the file unchanged as the "
        "record of that run (the leakhunt release that wrote it can still verify it) and "
        "start a new archive: leakhunt serve --db NEW.leakhunt.db",
        path, kArchiveFormat)};
  if (version == 0) return Error{path + ": not a leakhunt archive (no audit log in it)"};
  if (version > kArchiveFormat)
    return Error{
        fmt::format("{}: archive format {} is newer than this leakhunt ({}); use the "
                    "leakhunt release that wrote it",
                    path, version, kArchiveFormat)};
  return Error{fmt::format("{}: unknown archive format {}", path, version)};
}

}  // namespace

Result<bool> prepareSchema(Connection& db, const std::string& path) {
  db.exec("BEGIN IMMEDIATE");  // so two servers starting on one new file create it once
  try {
    const int version = userVersion(db);
    const bool hasTables = hasAuditTable(db);
    if (version == 0 && !hasTables) {
      db.exec(kSchema);
      db.exec(fmt::format("PRAGMA user_version = {}", kArchiveFormat));
    }
    db.exec("COMMIT");
    return checkVersion(version == 0 && !hasTables ? kArchiveFormat : version, hasTables, path);
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

Result<bool> checkFormat(Connection& db, const std::string& path) {
  return checkVersion(userVersion(db), hasAuditTable(db), path);
}

}  // namespace leakhunt::archive
