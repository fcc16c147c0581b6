// Reading YAML nodes into values while collecting every problem with its file:line:col: the
// one YAML toolkit (issue 16). The description files (station, scenario) and the campaign specs
// (campaign/spec.cpp, harness/localisation_campaign.cpp) are read with it, so every YAML file
// leakhunt reads reports unknown keys with a suggestion, wrong shapes and out-of-range values
// the same way. Includes yaml-cpp: its users link it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gas/species.hpp"
#include "gas/units.hpp"
#include "model/load.hpp"

namespace leakhunt::model::yaml {

enum class Need { Optional, Required };
enum class Bound { Any, NonNegative, Positive, Fraction /* [0, 1] */, OpenFraction /* (0, 1] */ };
enum class Reading { Absolute, Difference };

using Keys = std::span<const std::string_view>;

class Reader {
 public:
  Reader(std::string file, std::vector<Diagnostic>& out);

  const std::string& file() const { return m_file; }
  // A reader for another file (a scenario's station) reporting into the same list.
  Reader forFile(std::string file) const { return Reader(std::move(file), m_out); }
  SourceLocation at(const YAML::Node& node) const;
  void error(const YAML::Node& node, const std::string& message);
  void warning(const YAML::Node& node, const std::string& message);
  void report(SourceLocation where, Diagnostic::Severity severity, const std::string& message);
  // Past the cap, further work is pointless and hostile input could make it slow.
  bool full() const;
  int errorCount() const { return m_errors; }

 private:
  std::string m_file;
  std::vector<Diagnostic>& m_out;
  int m_errors = 0;
};

// One YAML mapping being read: lookups, typed values, and messages naming what it describes.
class Fields {
 public:
  // Reports a non-mapping, and every key not in `keys` (with a suggestion) or repeated.
  static std::optional<Fields> open(Reader& r, const YAML::Node& node, std::string what, Keys keys);

  const YAML::Node& node() const { return m_node; }
  const std::string& what() const { return m_what; }
  // Messages about the fields then name the thing: "module 'zvezda'".
  void rename(std::string what) { m_what = std::move(what); }

  std::optional<YAML::Node> get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  void missing(std::string_view key) const;

  std::optional<std::string> text(std::string_view key, Need need = Need::Optional) const;
  std::optional<double> quantity(std::string_view key, gas::Dimension dim, Bound bound,
                                 Need need = Need::Optional,
                                 Reading reading = Reading::Absolute) const;
  // The same, within [lo, hi] in SI ("follow must be from 60 s to 3.16e+07 s, got '1e9 day'").
  std::optional<double> quantityWithin(std::string_view key, gas::Dimension dim, double lo,
                                       double hi) const;
  // A plain number (no unit) within [lo, hi] ("cd must be from 0.01 to 1, got '7'").
  std::optional<double> number(std::string_view key, double lo, double hi) const;
  // An ISO 8601 time (model::parseUtc, offsets applied) as Unix seconds.
  std::optional<double> time(std::string_view key, Need need = Need::Optional) const;
  std::optional<bool> flag(std::string_view key) const;
  // A whole number from 0 to `most`.
  std::optional<std::uint64_t> count(std::string_view key, std::uint64_t most = UINT64_MAX) const;
  // A list of names, each one of `known` (a station's modules, hatches), reported as
  // "unknown NOUN 'x' (did you mean 'y'?)"; a missing key is an empty list.
  std::vector<std::string> names(std::string_view key, Keys known, std::string_view noun) const;
  // Index of the value in `names`, or nullopt (reported when present but not a name).
  std::optional<std::size_t> choice(std::string_view key, Keys names,
                                    Need need = Need::Optional) const;
  // A species name or `air`, as mass fractions.
  std::optional<gas::MassFractions> gas(std::string_view key, Need need = Need::Optional) const;

 private:
  Fields(Reader& r, YAML::Node node, std::string what)
      : m_r(&r), m_node(std::move(node)), m_what(std::move(what)) {}
  std::optional<std::string> scalar(const YAML::Node& value, std::string_view key) const;

  Reader* m_r;
  YAML::Node m_node;
  std::string m_what;
  // Keys offered as "did you mean": their absence is already explained by the typo.
  std::vector<std::string> m_suggested;
};

// Quantity text, checked for dimension and range; reports and returns nullopt if wrong.
std::optional<double> readQuantity(Reader& r, const YAML::Node& value, std::string_view key,
                                   gas::Dimension dim, Bound bound, Reading reading);

// The document in `text`, or nullopt after reporting why it is not a usable YAML mapping.
// `expected` names what an empty file should have held.
std::optional<YAML::Node> readDocument(
    Reader& r, const std::string& text,
    std::string_view expected = "a station or scenario mapping (docs/formats.md)");

// Lists: a missing key is an empty list; anything but a sequence is reported.
std::vector<YAML::Node> items(Reader& r, const Fields& f, std::string_view key);

// "'a b' is not a valid id" unless [a-z0-9-]+ (ids become channel names and file names).
bool validId(std::string_view id);

std::string inQuotes(std::string_view s);
// Every error of `diagnostics`, one "file:line:col: error: ..." a line (nothing if none).
std::optional<Error> errorOf(const std::vector<Diagnostic>& diagnostics);
// Six significant digits: enough for a message, without to_string's trailing zeros.
std::string number(double v);

}  // namespace leakhunt::model::yaml
