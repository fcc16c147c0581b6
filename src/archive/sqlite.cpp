#include "archive/sqlite.hpp"

#include <stdexcept>

namespace leakhunt::archive {

namespace {
[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}
}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr) !=
      SQLITE_OK)
    fail(db, "SQLite prepare '" + std::string(sql) + "'");
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(m_stmt);
    m_stmt = o.m_stmt;
    o.m_stmt = nullptr;
  }
  return *this;
}

Statement& Statement::bind(int i, double v) {
  sqlite3_bind_double(m_stmt, i, v);
  return *this;
}
Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(m_stmt, i, v);
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(sqlite3_db_handle(m_stmt), "SQLite step");
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

std::string Statement::text(int col) const {
  const auto* p = sqlite3_column_text(m_stmt, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)))
           : std::string();
}

Connection::~Connection() { sqlite3_close_v2(m_db); }

Result<Connection> Connection::open(const std::string& path, bool readOnly) {
  Connection c;
  const int flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path.c_str(), &c.m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string msg = path + ": cannot open the archive: " +
                      (c.m_db ? sqlite3_errmsg(c.m_db) : std::string("out of memory"));
    return Error{msg};
  }
  sqlite3_busy_timeout(c.m_db, 5000);
  return c;
}

void Connection::exec(std::string_view sql) {
  char* err = nullptr;
  if (sqlite3_exec(m_db, std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error("SQLite: " + msg + " in '" + std::string(sql) + "'");
  }
}

}  // namespace leakhunt::archive
