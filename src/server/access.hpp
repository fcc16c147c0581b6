// API tokens and roles. A token is 32 random bytes in hex; only its SHA-256 is kept (in the
// archive, or in memory when read from a tokens file). A presented token is hashed and compared
// with every stored hash in constant time, so neither the comparison nor the lookup order says
// how close a guess was. Roles nest: viewer reads, operator also writes telemetry and actions,
// admin also manages tokens.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/archive.hpp"
#include "base/result.hpp"

namespace leakhunt::server {

enum class Role { Viewer = 0, Operator = 1, Admin = 2 };
const char* toString(Role role);
std::optional<Role> roleFrom(std::string_view text);

struct Identity {
  std::string name;
  Role role = Role::Viewer;
};

class TokenBook {
 public:
  void add(const archive::StoredToken& token);  // hash, name, role (from the archive)
  // The identity a presented token belongs to, or nothing.
  std::optional<Identity> authenticate(std::string_view presented) const;
  bool empty() const;

 private:
  mutable std::mutex m_mutex;
  std::vector<archive::StoredToken> m_tokens;
};

// A token's name is the actor of everything done with it in the audit log, so it must not pass
// for the server or be able to change how a log line reads: 1 to 64 of [A-Za-z0-9._-], and
// none of the actors the server writes itself (kReservedActors, any letter case). The error
// says which rule the name breaks.
Result<bool> checkTokenName(std::string_view name);
// Actors the server, the detector and the scenario feed write in the audit log, and names an
// operator would read as theirs.
inline constexpr const char* kReservedActors[] = {"detector", "simulator", "scenario", "server",
                                                  "system",   "leakhunt",  "serve"};

std::string hashToken(std::string_view token);
std::string newToken();  // 256 random bits, hex

// A tokens file: one "role name token" per line, '#' comments; names as checkTokenName says.
// Errors name file and line.
Result<std::vector<archive::StoredToken>> readTokensFile(const std::string& path);

}  // namespace leakhunt::server
