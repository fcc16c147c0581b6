#include "server/request_parsing.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "server/access.hpp"
#include "server/bounded_json.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::server {

namespace {

using nlohmann::json;

// Depth-checked before parsing (bounded_json.hpp): a deep document is refused, not parsed.
Result<json> parseJson(std::string_view body) {
  Result<json> parsed = parseBoundedJson(body);
  if (!parsed) return Error{"the body is " + parsed.error().message};
  return parsed;
}

// A time any spacecraft could have stamped (docs/server.md, "Physical ranges of what is
// written"); the station's clock narrows it further in the core.
Result<double> timeInRange(double v, const std::string& where) {
  if (!std::isfinite(v)) return Error{where + ": not a finite number"};
  if (v >= kEarliestTime_s && v <= kLatestTime_s) return v;
  const std::string range =
      telemetry::formatTime(kEarliestTime_s) + " .. " + telemetry::formatTime(kLatestTime_s) +
      " (" + fmt::format("{:.0f} .. {:.0f}", kEarliestTime_s, kLatestTime_s) + " s since 1970)";
  const double seconds = v / 1000.0;
  if (seconds >= kEarliestTime_s && seconds <= kLatestTime_s)
    return Error{fmt::format(
        "{}: {} looks like milliseconds since 1970 ({} if so); send seconds: times must be "
        "within {}",
        where, v, telemetry::formatTime(seconds), range)};
  return Error{fmt::format("{}: {} is outside {}", where, v, range)};
}

Result<double> timeOf(const json& t, const std::string& where) {
  if (t.is_string()) {
    Result<double> r = telemetry::parseTime(t.get_ref<const std::string&>());
    if (!r) return Error{where + ": " + r.error().message};
    return timeInRange(*r, where);
  }
  if (t.is_number()) return timeInRange(t.get<double>(), where);
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

// A number within [low, high]; the error names the field, the value, the range and `why`.
Result<double> numberIn(const json& o, const char* key, double low, double high, const char* unit,
                        const char* why) {
  Result<double> v = numberOf(o, key);
  if (!v) return v;
  if (*v >= low && *v <= high) return v;
  return Error{fmt::format("\"{}\": {:.6g} {} is outside {:g} .. {:g} {}: {}", key, *v, unit, low,
                           high, unit, why)};
}

// An id or a note: text of bounded length (what the audit log and every view will carry).
Result<std::string> boundedText(const json& o, const char* key, std::size_t maxChars,
                                bool required) {
  Result<std::string> r = textOf(o, key, required);
  if (r && r->size() > maxChars)
    return Error{fmt::format("\"{}\" is {} characters long; at most {}", key, r->size(), maxChars)};
  return r;
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
    case ActionKind::Confirm:
      return "confirm";
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
  Result<std::string> note = boundedText(o, "note", kMaxNoteChars, false);
  if (!note) return note.error();
  a.note = *note;
  std::string tooLong;  // the error of an id over kMaxIdChars, if any
  auto need = [&](const char* key, std::string& into) -> bool {
    Result<std::string> r = boundedText(o, key, kMaxIdChars, true);
    if (r) into = *r;
    if (!r && tooLong.empty() && textOf(o, key)) tooLong = r.error().message;
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
      return Error{!tooLong.empty() ? tooLong
                                    : "a hatch action needs \"hatch\" and \"state\" (texts)"};
    if (state != "open" && state != "closed") return Error{"\"state\" must be open or closed"};
    a.open = state == "open";
  } else if (*kind == "patch") {
    a.kind = ActionKind::Patch;
    Result<std::string> leak = boundedText(o, "leak", kMaxIdChars, false);
    if (!leak) return leak.error();
    a.leak = *leak;
    Result<std::string> module = boundedText(o, "module", kMaxIdChars, false);
    if (!module) return module.error();
    a.module = *module;
  } else if (*kind == "repress") {
    a.kind = ActionKind::Repress;
    if (!need("module", a.module))
      return Error{!tooLong.empty() ? tooLong : "a repress action needs \"module\" (a text)"};
    Result<double> m = numberIn(o, "mass_kg", kMinRepressMass_kg, kMaxRepressMass_kg, "kg",
                                "gas let in from the tanks on board");
    if (!m) return m.error();
    Result<double> d =
        numberIn(o, "duration_s", 0.0, detect::kMaxRepressDuration_s, "s",
                 "a repress takes hours, and the detector sets aside every block it spans");
    if (!d) return d.error();
    a.mass_kg = *m;
    a.duration_s = *d;
  } else if (*kind == "crew_move") {
    a.kind = ActionKind::CrewMove;
    if (!need("crew", a.crew) || !need("module", a.module))
      return Error{!tooLong.empty() ? tooLong
                                    : "a crew_move action needs \"crew\" and \"module\" (texts)"};
  } else if (*kind == "confirm") {
    a.kind = ActionKind::Confirm;
    const auto it = o.find("step");
    if (it == o.end() || !it->is_number_integer() || it->get<long long>() < 0 ||
        it->get<long long>() > 1000000)
      return Error{"\"step\" must be the proposed step's number (GET /api/plan: steps[0].step)"};
    a.step = it->get<int>();
  } else {
    return Error{"unknown action kind '" + *kind +
                 "' (ack, hatch, patch, repress, crew_move, confirm)"};
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
