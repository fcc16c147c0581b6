#include "model/yaml_reader.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "model/did_you_mean.hpp"
#include "model/utc_time.hpp"

namespace leakhunt::model::yaml {
namespace {

// Enough to fix a file in one pass; beyond it hostile input could make `check` slow.
constexpr std::size_t kMaxDiagnostics = 200;

std::string kindOf(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return "a value";
    default:
      return "nothing";
  }
}

std::string joinNames(Keys names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::string describeBound(Bound bound) {
  switch (bound) {
    case Bound::NonNegative:
      return "must not be negative";
    case Bound::Positive:
      return "must be positive";
    case Bound::Fraction:
      return "must be between 0 and 1";
    case Bound::OpenFraction:
      return "must be above 0 and at most 1";
    case Bound::Any:
      break;
  }
  return "";
}

bool withinBound(double v, Bound bound) {
  switch (bound) {
    case Bound::NonNegative:
      return v >= 0.0;
    case Bound::Positive:
      return v > 0.0;
    case Bound::Fraction:
      return v >= 0.0 && v <= 1.0;
    case Bound::OpenFraction:
      return v > 0.0 && v <= 1.0;
    case Bound::Any:
      break;
  }
  return true;
}

}  // namespace

std::string inQuotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

bool validId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

Reader::Reader(std::string file, std::vector<Diagnostic>& out)
    : m_file(std::move(file)), m_out(out) {}

SourceLocation Reader::at(const YAML::Node& node) const {
  SourceLocation where{m_file, 0, 0};
  if (!node.IsDefined()) return where;
  const YAML::Mark mark = node.Mark();
  if (mark.line >= 0 && mark.column >= 0) {
    where.line = mark.line + 1;
    where.column = mark.column + 1;
  }
  return where;
}

void Reader::error(const YAML::Node& node, const std::string& message) {
  report(at(node), Diagnostic::Error, message);
}

void Reader::warning(const YAML::Node& node, const std::string& message) {
  report(at(node), Diagnostic::Warning, message);
}

void Reader::report(SourceLocation where, Diagnostic::Severity severity,
                    const std::string& message) {
  if (severity == Diagnostic::Error) ++m_errors;
  if (m_out.size() > kMaxDiagnostics) return;
  if (m_out.size() == kMaxDiagnostics) {
    m_out.push_back({std::move(where), Diagnostic::Error,
                     "too many problems; stopping after " + std::to_string(kMaxDiagnostics)});
    return;
  }
  m_out.push_back({std::move(where), severity, message});
}

bool Reader::full() const { return m_out.size() > kMaxDiagnostics; }

std::optional<Fields> Fields::open(Reader& r, const YAML::Node& node, std::string what, Keys keys) {
  if (!node.IsMap()) {
    r.error(node, what + " must be a mapping (key: value), found " + kindOf(node));
    return std::nullopt;
  }
  // Name the thing when it has an id, so "unknown key 'volum' in module 'zarya'".
  for (const auto& entry : node) {
    if (entry.first.IsScalar() && entry.first.Scalar() == "id" && entry.second.IsScalar()) {
      what += " " + inQuotes(entry.second.Scalar());
      break;
    }
  }
  Fields fields(r, node, std::move(what));
  std::unordered_map<std::string, int> seen;
  for (const auto& entry : node) {
    if (r.full()) break;
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      r.error(key, "keys in " + fields.m_what + " must be plain names, found " + kindOf(key));
      continue;
    }
    const std::string& name = key.Scalar();
    const auto [it, inserted] = seen.emplace(name, r.at(key).line);
    if (!inserted) {
      r.error(key, "duplicate key " + inQuotes(name) + " in " + fields.m_what + " (first at line " +
                       std::to_string(it->second) + ")");
      continue;
    }
    bool known = false;
    for (std::string_view k : keys) known = known || k == name;
    if (known) continue;
    const auto suggestion = closestName(name, keys);
    r.error(key, "unknown key " + inQuotes(name) + " in " + fields.m_what +
                     (suggestion ? " (did you mean " + inQuotes(*suggestion) + "?)" : ""));
    if (suggestion) fields.m_suggested.push_back(*suggestion);
  }
  return fields;
}

std::optional<YAML::Node> Fields::get(std::string_view key) const {
  for (const auto& entry : m_node) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.second;
  }
  return std::nullopt;
}

void Fields::missing(std::string_view key) const {
  for (const auto& s : m_suggested) {
    if (s == key) return;
  }
  m_r->error(m_node, m_what + " is missing " + inQuotes(key));
}

std::optional<std::string> Fields::scalar(const YAML::Node& value, std::string_view key) const {
  if (value.IsScalar()) return value.Scalar();
  if (value.IsNull()) {
    m_r->error(value, std::string(key) + " in " + m_what + " has no value");
  } else {
    m_r->error(value, std::string(key) + " in " + m_what + " must be a single value, found " +
                          kindOf(value));
  }
  return std::nullopt;
}

std::optional<std::string> Fields::text(std::string_view key, Need need) const {
  const auto value = get(key);
  if (!value) {
    if (need == Need::Required) missing(key);
    return std::nullopt;
  }
  return scalar(*value, key);
}

std::optional<double> readQuantity(Reader& r, const YAML::Node& value, std::string_view key,
                                   gas::Dimension dim, Bound bound, Reading reading) {
  if (!value.IsScalar()) {
    r.error(value, std::string(key) + " must be " + std::string(gas::describe(dim)) +
                       " written as text with a unit, found " + kindOf(value));
    return std::nullopt;
  }
  const std::string& text = value.Scalar();
  auto parsed = reading == Reading::Absolute ? gas::parseQuantity(text, dim)
                                             : gas::parseDifference(text, dim);
  if (!parsed) {
    r.error(value, std::string(key) + ": " + parsed.error().message);
    return std::nullopt;
  }
  if (!withinBound(*parsed, bound)) {
    r.error(value, std::string(key) + " " + describeBound(bound) + ", got " + inQuotes(text));
    return std::nullopt;
  }
  return *parsed;
}

std::optional<double> Fields::quantity(std::string_view key, gas::Dimension dim, Bound bound,
                                       Need need, Reading reading) const {
  const auto value = get(key);
  if (!value) {
    if (need == Need::Required) missing(key);
    return std::nullopt;
  }
  return readQuantity(*m_r, *value, key, dim, bound, reading);
}

std::optional<bool> Fields::flag(std::string_view key) const {
  const auto value = get(key);
  if (!value) return std::nullopt;
  const auto text = scalar(*value, key);
  if (!text) return std::nullopt;
  bool b = false;
  if (YAML::convert<bool>::decode(*value, b)) return b;
  m_r->error(*value, std::string(key) + " must be true or false, got " + inQuotes(*text));
  return std::nullopt;
}

std::optional<double> Fields::quantityWithin(std::string_view key, gas::Dimension dim, double lo,
                                             double hi) const {
  const auto value = get(key);
  if (!value) return std::nullopt;
  const auto v = readQuantity(*m_r, *value, key, dim, Bound::Any, Reading::Absolute);
  if (!v) return std::nullopt;
  if (*v >= lo && *v <= hi) return v;
  const std::string unit = dim == gas::Dimension::Time ? " s" : "";
  m_r->error(*value, std::string(key) + " must be from " + yaml::number(lo) + unit + " to " +
                         yaml::number(hi) + unit + ", got " + inQuotes(value->Scalar()));
  return std::nullopt;
}

std::optional<double> Fields::number(std::string_view key, double lo, double hi) const {
  const auto value = get(key);
  if (!value) return std::nullopt;
  const auto text = scalar(*value, key);
  if (!text) return std::nullopt;
  double v = 0.0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  const bool read = ec == std::errc{} && end == text->data() + text->size() && std::isfinite(v);
  if (read && v >= lo && v <= hi) return v;
  m_r->error(*value, std::string(key) + " must be " + (read ? "" : "a number ") + "from " +
                         yaml::number(lo) + " to " + yaml::number(hi) + ", got " + inQuotes(*text));
  return std::nullopt;
}

std::vector<std::string> Fields::names(std::string_view key, Keys known,
                                       std::string_view noun) const {
  std::vector<std::string> out;
  for (const YAML::Node& item : items(*m_r, *this, key)) {
    const auto text = scalar(item, key);
    if (!text) continue;
    bool found = false;
    for (std::string_view k : known) found = found || k == *text;
    if (!found)
      m_r->error(item,
                 "unknown " + std::string(noun) + " " + inQuotes(*text) + didYouMean(*text, known));
    out.push_back(*text);
  }
  return out;
}

std::optional<Error> errorOf(const std::vector<Diagnostic>& diagnostics) {
  std::string message;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity != Diagnostic::Error) continue;
    if (!message.empty()) message += '\n';
    message += format(d);
  }
  if (message.empty()) return std::nullopt;
  return Error{message};
}

std::optional<double> Fields::time(std::string_view key, Need need) const {
  const auto text = this->text(key, need);
  if (!text) return std::nullopt;
  const Result<double> t = parseUtc(*text);
  if (t) return *t;
  m_r->error(*get(key), std::string(key) + ": " + t.error().message);
  return std::nullopt;
}

std::optional<std::uint64_t> Fields::count(std::string_view key, std::uint64_t most) const {
  const auto value = get(key);
  if (!value) return std::nullopt;
  const auto text = scalar(*value, key);
  if (!text) return std::nullopt;
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec == std::errc{} && end == text->data() + text->size() && n <= most) return n;
  m_r->error(*value, std::string(key) + " must be a whole number from 0 to " +
                         std::to_string(most) + ", got " + inQuotes(*text));
  return std::nullopt;
}

std::optional<std::size_t> Fields::choice(std::string_view key, Keys names, Need need) const {
  const auto value = get(key);
  if (!value) {
    if (need == Need::Required) missing(key);
    return std::nullopt;
  }
  const auto text = scalar(*value, key);
  if (!text) return std::nullopt;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == *text) return i;
  }
  m_r->error(*value, std::string(key) + " must be " + joinNames(names) + ", got " +
                         inQuotes(*text) + didYouMean(*text, names));
  return std::nullopt;
}

std::optional<gas::MassFractions> Fields::gas(std::string_view key, Need need) const {
  const auto value = get(key);
  if (!value) {
    if (need == Need::Required) missing(key);
    return std::nullopt;
  }
  const auto text = scalar(*value, key);
  if (!text) return std::nullopt;
  if (*text == "air") return gas::toMassFractions(gas::standardAir());
  if (const auto species = gas::speciesByName(*text)) {
    gas::MassFractions y{};
    y[gas::index(*species)] = 1.0;
    return y;
  }
  std::vector<std::string_view> names{"air"};
  for (const auto& s : gas::kSpecies) names.push_back(s.name);
  m_r->error(*value, std::string(key) + " must be air or one of N2, O2, CO2, H2O, Ar, got " +
                         inQuotes(*text) + didYouMean(*text, names));
  return std::nullopt;
}

std::vector<YAML::Node> items(Reader& r, const Fields& f, std::string_view key) {
  std::vector<YAML::Node> out;
  const auto value = f.get(key);
  if (!value || value->IsNull()) return out;
  if (!value->IsSequence()) {
    r.error(*value, std::string(key) + " must be a list, found " + kindOf(*value));
    return out;
  }
  for (const auto& item : *value) out.push_back(item);
  return out;
}

}  // namespace leakhunt::model::yaml
