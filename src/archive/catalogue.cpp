#include "archive/catalogue.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

namespace leakhunt::archive {

namespace {

using json = nlohmann::json;

// Names come from the file being checked: quoted and escaped, so a control character in a
// forged name cannot rewrite the report on a terminal.
std::string quoted(const std::string& text) {
  return json(text).dump(-1, ' ', true, json::error_handler_t::replace);
}

bool isText(const json& j, const char* key) { return j.contains(key) && j[key].is_string(); }

}  // namespace

std::string channelPayload(std::int64_t id, const std::string& name) {
  return nlohmann::ordered_json{{"id", id}, {"name", name}}.dump();
}

std::string tokenPayload(const StoredToken& token) {
  return nlohmann::ordered_json{{"name", token.name}, {"role", token.role}, {"hash", token.hash}}
      .dump();
}

LoggedCatalogue LoggedCatalogue::fromLog(Connection& db, std::vector<AuditProblem>& problems) {
  LoggedCatalogue c;
  Statement q(db.get(),
              "SELECT seq, time_s, kind, actor, payload, prev_hash, hash FROM audit "
              "WHERE kind IN ('channel', 'token') ORDER BY seq");
  while (q.step())
    c.apply({q.integer(0), q.real(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6)},
            problems);
  return c;
}

void LoggedCatalogue::apply(const AuditEntry& e, std::vector<AuditProblem>& problems) {
  if (e.kind != "channel" && e.kind != "token") return;
  const json p = json::parse(e.payload, nullptr, false);
  if (e.kind == "channel") {
    if (!p.is_object() || !p.contains("id") || !p["id"].is_number_integer() || !isText(p, "name"))
      return problems.push_back({e.seq, "channel entry without an id and a name"});
    const auto id = p["id"].get<std::int64_t>();
    if (!m_channels.emplace(id, Channel{p["name"].get<std::string>(), e.seq}).second)
      problems.push_back({e.seq, fmt::format("channel {} is created a second time", id)});
    return;
  }
  if (!p.is_object() || !isText(p, "name") || !isText(p, "role") || !isText(p, "hash"))
    return problems.push_back({e.seq, "token entry without a name, role and hash"});
  const std::string hash = p["hash"].get<std::string>();
  // The tokens table replaces on either key (INSERT OR REPLACE): so does the replay.
  for (auto it = m_tokens.begin(); it != m_tokens.end();)
    it = it->second.hash == hash ? m_tokens.erase(it) : std::next(it);
  m_tokens[p["name"].get<std::string>()] = Token{hash, p["role"].get<std::string>(), e.seq};
}

void LoggedCatalogue::compare(Connection& db, std::vector<AuditProblem>& problems) const {
  compareChannels(db, problems);
  compareTokens(db, problems);
}

void LoggedCatalogue::compareChannels(Connection& db, std::vector<AuditProblem>& problems) const {
  Statement q(db.get(), "SELECT id, name FROM channels ORDER BY id");
  std::set<std::int64_t> seen;
  while (q.step()) {
    const std::int64_t id = q.integer(0);
    const std::string name = q.text(1);
    seen.insert(id);
    const auto it = m_channels.find(id);
    if (it == m_channels.end())
      problems.push_back({0, fmt::format("channel {} {} is in the catalogue but no audit entry "
                                         "created it (inserted)",
                                         id, quoted(name))});
    else if (it->second.name != name)
      problems.push_back(
          {it->second.seq, fmt::format("channel {} is named {} in the catalogue but this entry "
                                       "created it as {} (renamed: its samples would be served "
                                       "as another channel's)",
                                       id, quoted(name), quoted(it->second.name))});
  }
  for (const auto& [id, c] : m_channels)
    if (!seen.count(id))
      problems.push_back(
          {c.seq, fmt::format("channel {} {} created by this entry is missing from the "
                              "catalogue (deleted)",
                              id, quoted(c.name))});
}

void LoggedCatalogue::compareTokens(Connection& db, std::vector<AuditProblem>& problems) const {
  Statement q(db.get(), "SELECT hash, name, role FROM tokens ORDER BY name");
  std::set<std::string> seen;
  while (q.step()) {
    const std::string hash = q.text(0), name = q.text(1), role = q.text(2);
    seen.insert(name);
    const auto it = m_tokens.find(name);
    if (it == m_tokens.end()) {
      problems.push_back({0, fmt::format("token {} ({}) is in the tokens table but no audit "
                                         "entry created it (inserted)",
                                         quoted(name), quoted(role))});
      continue;
    }
    const Token& t = it->second;
    if (t.role != role)
      problems.push_back({t.seq, fmt::format("token {} has role {} but this entry gave it {} "
                                             "(role changed)",
                                             quoted(name), quoted(role), quoted(t.role))});
    if (t.hash != hash)
      problems.push_back({t.seq, fmt::format("token {} has a hash this entry did not store "
                                             "(token replaced)",
                                             quoted(name))});
  }
  for (const auto& [name, t] : m_tokens)
    if (!seen.count(name))
      problems.push_back({t.seq, fmt::format("token {} created by this entry is missing from "
                                             "the tokens table (deleted)",
                                             quoted(name))});
}

}  // namespace leakhunt::archive
