// The archive's tables and its format version (SQLite's user_version). Format 2 put the
// channel catalogue and the tokens in the audit chain, named channels (not ids) in batch
// digests and made every hash input length-prefixed. A format 1 file cannot be checked by
// these rules, so it is refused with a message saying what to do instead of being read, or
// verified, under the wrong ones (docs/server.md, "The archive").
#pragma once

#include <string>

#include "archive/sqlite.hpp"
#include "base/result.hpp"

namespace leakhunt::archive {

inline constexpr int kArchiveFormat = 2;

// Creates the tables in a new file (and stamps the format), or checks an existing file's
// format. For the writer, after WAL mode is set.
Result<bool> prepareSchema(Connection& db, const std::string& path);

// Checks the format of an archive opened read-only.
Result<bool> checkFormat(Connection& db, const std::string& path);

}  // namespace leakhunt::archive
