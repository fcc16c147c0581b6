#include "server/access.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "archive/sha256.hpp"

namespace leakhunt::server {

const char* toString(Role role) {
  switch (role) {
    case Role::Viewer:
      return "viewer";
    case Role::Operator:
      return "operator";
    case Role::Admin:
      return "admin";
  }
  return "?";
}

std::optional<Role> roleFrom(std::string_view text) {
  for (Role r : {Role::Viewer, Role::Operator, Role::Admin})
    if (text == toString(r)) return r;
  return std::nullopt;
}

namespace {
// ASCII by hand: <cctype> follows the locale, which may call accented letters alphanumeric.
bool nameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}
}  // namespace

Result<bool> checkTokenName(std::string_view name) {
  if (name.empty() || name.size() > 64) return Error{"a token name must be 1 to 64 characters"};
  for (const char c : name)
    if (!nameCharacter(c))
      return Error{
          fmt::format("token name has a character other than letters, digits, '.', '_' "
                      "and '-' (byte 0x{:02x})",
                      static_cast<unsigned char>(c))};
  std::string lower(name);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (const char* reserved : kReservedActors)
    if (lower == reserved)
      return Error{
          fmt::format("token name '{}' is reserved: the server writes it in the audit "
                      "log itself",
                      name)};
  return true;
}

std::string hashToken(std::string_view token) { return archive::sha256Hex(token); }

std::string newToken() { return archive::randomHex(32); }

void TokenBook::add(const archive::StoredToken& token) {
  std::lock_guard lock(m_mutex);
  for (auto& t : m_tokens)
    if (t.name == token.name) {
      t = token;
      return;
    }
  m_tokens.push_back(token);
}

bool TokenBook::empty() const {
  std::lock_guard lock(m_mutex);
  return m_tokens.empty();
}

std::optional<Identity> TokenBook::authenticate(std::string_view presented) const {
  if (presented.empty() || presented.size() > 256) return std::nullopt;
  const std::string hash = hashToken(presented);
  std::lock_guard lock(m_mutex);
  const archive::StoredToken* match = nullptr;
  for (const auto& t : m_tokens)  // no early exit: every hash is compared
    if (archive::constantTimeEqual(hash, t.hash)) match = &t;
  if (!match) return std::nullopt;
  const auto role = roleFrom(match->role);
  if (!role) return std::nullopt;
  return Identity{match->name, *role};
}

Result<std::vector<archive::StoredToken>> readTokensFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{path + ": cannot read the tokens file"};
  std::vector<archive::StoredToken> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::string role, name, token, extra;
    if (!(words >> role)) continue;
    if (!(words >> name >> token) || (words >> extra))
      return Error{path + ":" + std::to_string(n) + ": expected 'role name token'"};
    if (!roleFrom(role))
      return Error{path + ":" + std::to_string(n) + ": unknown role '" + role +
                   "' (viewer, operator, admin)"};
    if (Result<bool> named = checkTokenName(name); !named)
      return Error{path + ":" + std::to_string(n) + ": " + named.error().message};
    if (token.size() < 16)
      return Error{path + ":" + std::to_string(n) + ": token too short (16 characters at least)"};
    out.push_back({hashToken(token), name, role});
  }
  return out;
}

}  // namespace leakhunt::server
