#include "server/request_parsing.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "server/access.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::server {

namespace {

using nlohmann::json;

Result<json> parseJson(std::string_view body) {
  try {
    return json::parse(body.begin(), body.end());
  } catch (const json::exception& e) {  // syntax (with line and column) or number overflow
    return Error{std::string("the body is not valid JSON: ") + e.what()};
  }
}

Result<double> timeOf(const json& t, const std::string& where) {
  if (t.is_string()) {
    Result<double> r = telemetry::parseTime(t.get_ref<const std::string&>());
    if (!r) return Error{where + ": " + r.error().message};
    return r;
  }
  if (t.is_number()) {
    const double v = t.get<double>();
    if (!std::isfinite(v)) return Error{where + ": not a finite number"};
    return v;
  }
  return Error{where + ": must be an ISO 8601 UTC text or a number of seconds since 1970"};
}

Result<std::string> textOf(const json& o, const char* key, bool required = true) {
  const auto it = o.find(key);
  if (it == o.end()) {
    if (required) return Error{std::string("\"") + key + "\" is missing"};
    return std::string();
  }
  if (!it->is_string()) return Error{std::string("\"") + key + "\" must be a text"};
  return it->get<std::string>();
}

Result<double> numberOf(const json& o, const char* key) {
  const auto it = o.find(key);
  if (it == o.end()) return Error{std::string("\"") + key + "\" is missing"};
  if (!it->is_number()) return Error{std::string("\"") + key + "\" must be a number"};
  const double v = it->get<double>();
  if (!std::isfinite(v)) return Error{std::string("\"") + key + "\" must be finite"};
  return v;
}

}  // namespace

Result<std::vector<IncomingSample>> parseTelemetryBatch(std::string_view body) {
  Result<json> parsed = parseJson(body);
  if (!parsed) return parsed.error();
  const json* list = &*parsed;
  if (list->is_object()) {
    const auto it = list->find("samples");
    if (it == list->end()) return Error{"expected an array of samples or {\"samples\": [...]}"};
    list = &*it;
  }
  if (!list->is_array()) return Error{"expected an array of samples or {\"samples\": [...]}"};
  if (list->size() > kMaxBatchSamples)
    return Error{"a batch holds at most " + std::to_string(kMaxBatchSamples) + " samples"};
  std::vector<IncomingSample> out;
  out.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& s = (*list)[i];
    const std::string where = "samples[" + std::to_string(i) + "]";
    if (!s.is_object()) return Error{where + ": must be an object {time, channel, value}"};
    const auto c = s.find("channel");
    if (c == s.end() || !c->is_string() || c->get_ref<const std::string&>().empty())
      return Error{where + ".channel: must be a non-empty text"};
    const auto t = s.find("time");
    if (t == s.end()) return Error{where + ".time: is missing"};
    Result<double> time = timeOf(*t, where + ".time");
    if (!time) return time.error();
    const auto v = s.find("value");
    if (v == s.end() || !v->is_number()) return Error{where + ".value: must be a number"};
    const double value = v->get<double>();
    if (!std::isfinite(value)) return Error{where + ".value: must be finite (no NaN or infinity)"};
    out.push_back({c->get<std::string>(), *time, value});
  }
  return out;
}

const char* toString(ActionKind kind) {
  switch (kind) {
    case ActionKind::AckAlarm:
      return "ack";
    case ActionKind::Hatch:
      return "hatch";
    case ActionKind::Patch:
      return "patch";
    case ActionKind::Repress:
      return "repress";
    case ActionKind::CrewMove:
      return "crew_move";
  }
  return "?";
}

Result<Action> parseAction(std::string_view body) {
  Result<json> parsed = parseJson(body);
  if (!parsed) return parsed.error();
  const json& o = *parsed;
  if (!o.is_object()) return Error{"an action is a JSON object with a \"kind\""};
  Result<std::string> kind = textOf(o, "kind");
  if (!kind) return kind.error();
  Action a;
  if (const auto t = o.find("time"); t != o.end()) {
    Result<double> time = timeOf(*t, "time");
    if (!time) return time.error();
    a.time_s = *time;
  }
  Result<std::string> note = textOf(o, "note", false);
  if (!note) return note.error();
  a.note = *note;
  auto need = [&](const char* key, std::string& into) -> bool {
    Result<std::string> r = textOf(o, key);
    if (r) into = *r;
    return r.ok();
  };
  if (*kind == "ack") {
    a.kind = ActionKind::AckAlarm;
    const auto it = o.find("alarm");
    if (it == o.end() || !it->is_number_integer() || it->get<long long>() < 0 ||
        it->get<long long>() > 1000000)
      return Error{"\"alarm\" must be the alarm's number (a non-negative integer)"};
    a.alarm = it->get<int>();
  } else if (*kind == "hatch") {
    a.kind = ActionKind::Hatch;
    std::string state;
    if (!need("hatch", a.hatch) || !need("state", state))
      return Error{"a hatch action needs \"hatch\" and \"state\" (texts)"};
    if (state != "open" && state != "closed") return Error{"\"state\" must be open or closed"};
    a.open = state == "open";
  } else if (*kind == "patch") {
    a.kind = ActionKind::Patch;
    Result<std::string> leak = textOf(o, "leak", false);
    if (!leak) return leak.error();
    a.leak = *leak;
  } else if (*kind == "repress") {
    a.kind = ActionKind::Repress;
    if (!need("module", a.module)) return Error{"a repress action needs \"module\" (a text)"};
    Result<double> m = numberOf(o, "mass_kg");
    if (!m) return m.error();
    Result<double> d = numberOf(o, "duration_s");
    if (!d) return d.error();
    if (*m <= 0 || *d < 0) return Error{"mass_kg must be > 0 and duration_s >= 0"};
    a.mass_kg = *m;
    a.duration_s = *d;
  } else if (*kind == "crew_move") {
    a.kind = ActionKind::CrewMove;
    if (!need("crew", a.crew) || !need("module", a.module))
      return Error{"a crew_move action needs \"crew\" and \"module\" (texts)"};
  } else {
    return Error{"unknown action kind '" + *kind + "' (ack, hatch, patch, repress, crew_move)"};
  }
  return a;
}

Result<TokenRequest> parseTokenRequest(std::string_view body) {
  Result<json> parsed = parseJson(body);
  if (!parsed) return parsed.error();
  if (!parsed->is_object()) return Error{"expected {\"name\": ..., \"role\": ...}"};
  Result<std::string> name = textOf(*parsed, "name");
  if (!name) return name.error();
  Result<std::string> role = textOf(*parsed, "role");
  if (!role) return role.error();
  if (Result<bool> named = checkTokenName(*name); !named)
    return Error{"\"name\": " + named.error().message};
  if (*role != "viewer" && *role != "operator" && *role != "admin")
    return Error{"\"role\" must be viewer, operator or admin"};
  return TokenRequest{*name, *role};
}

}  // namespace leakhunt::server
