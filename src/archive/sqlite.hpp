// Thin RAII owners for SQLite handles, so no statement or connection leaks on an early return.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"

namespace leakhunt::archive {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);  // throws std::runtime_error on bad SQL
  ~Statement();
  Statement(Statement&& o) noexcept : m_stmt(o.m_stmt) { o.m_stmt = nullptr; }
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, double v);
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind(int i, std::string_view v);  // copied by SQLite
  // SQLITE_ROW: true; SQLITE_DONE: false; anything else throws std::runtime_error.
  bool step();
  void reset();  // also clears bindings

  double real(int col) const { return sqlite3_column_double(m_stmt, col); }
  std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
  std::string text(int col) const;
  bool isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* m_stmt = nullptr;
};

class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(Connection&& o) noexcept : m_db(o.m_db) { o.m_db = nullptr; }
  Connection& operator=(Connection&& o) noexcept {
    std::swap(m_db, o.m_db);
    return *this;
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  static Result<Connection> open(const std::string& path, bool readOnly);
  void exec(std::string_view sql);  // throws std::runtime_error with the path and message
  sqlite3* get() const { return m_db; }

 private:
  sqlite3* m_db = nullptr;
};

}  // namespace leakhunt::archive
