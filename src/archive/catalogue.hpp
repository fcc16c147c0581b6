// What the audit log says the `channels` and `tokens` tables hold, rebuilt from its "channel"
// and "token" entries, and the comparison with the tables themselves. Those tables are what a
// reader trusts (which samples are whose; who may do what), so a row the log does not account
// for, or a log entry whose row is gone or changed, is tampering. `audit verify` feeds it the
// entries it has checked hash by hash; the writer, on opening, feeds it the log's entries as
// they are, so a server does not start on tables edited behind the log's back.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "archive/archive.hpp"
#include "archive/sqlite.hpp"
#include "archive/verify.hpp"

namespace leakhunt::archive {

class LoggedCatalogue {
 public:
  // Reads every channel and token entry of the log, in order.
  static LoggedCatalogue fromLog(Connection& db, std::vector<AuditProblem>& problems);

  // Takes in one audit entry; entries of other kinds are ignored. A malformed channel or token
  // entry is a problem.
  void apply(const AuditEntry& entry, std::vector<AuditProblem>& problems);

  // Where the tables differ from what the log says: rows inserted, deleted or changed.
  void compare(Connection& db, std::vector<AuditProblem>& problems) const;

 private:
  struct Channel {
    std::string name;
    std::int64_t seq = 0;
  };
  struct Token {
    std::string hash, role;
    std::int64_t seq = 0;
  };
  void compareChannels(Connection& db, std::vector<AuditProblem>& problems) const;
  void compareTokens(Connection& db, std::vector<AuditProblem>& problems) const;

  std::map<std::int64_t, Channel> m_channels;  // by id
  std::map<std::string, Token> m_tokens;       // by name: a name issued again replaces its token
};

// Payloads of the entries that make the catalogue (JSON objects).
std::string channelPayload(std::int64_t id, const std::string& name);
std::string tokenPayload(const StoredToken& token);

}  // namespace leakhunt::archive
