#include "gas/units.hpp"

#include <udunits2.h>

#include <array>
#include <charconv>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>

namespace leakhunt::gas {
namespace {

constexpr std::size_t kDimensionCount = static_cast<std::size_t>(Dimension::Dimensionless) + 1;

struct DimensionInfo {
  std::string_view noun;
  std::string_view unit;  // SI, in udunits syntax
};

constexpr std::array<DimensionInfo, kDimensionCount> kDimensions{{
    {"a pressure", "Pa"},
    {"a temperature", "K"},
    {"a volume", "m^3"},
    {"an area", "m^2"},
    {"a length", "m"},
    {"a time", "s"},
    {"a mass", "kg"},
    {"a mass rate", "kg/s"},
    {"a volume rate", "m^3/s"},
    {"a heat transfer coefficient", "W/(m^2 K)"},
    {"an angle", "rad"},
    {"a dimensionless number", "1"},
}};

const DimensionInfo& info(Dimension dim) { return kDimensions[static_cast<std::size_t>(dim)]; }

using UnitPtr = std::unique_ptr<ut_unit, decltype(&ut_free)>;
using ConverterPtr = std::unique_ptr<cv_converter, decltype(&cv_free)>;

// The unit database is read once and kept for the life of the process.
struct UnitSystem {
  ut_system* system = nullptr;
  std::array<ut_unit*, kDimensionCount> si{};
  std::string loadError;
};

UnitSystem loadUnitSystem() {
  UnitSystem u;
  // udunits prints its own complaints to stderr; ours are better placed and say where.
  ut_set_error_message_handler(ut_ignore);
  u.system = ut_read_xml(nullptr);
  if (u.system == nullptr) {
    u.loadError = "cannot read the udunits2 unit database (udunits status " +
                  std::to_string(static_cast<int>(ut_get_status())) + ")";
    return u;
  }
  for (std::size_t d = 0; d < kDimensionCount; ++d) {
    u.si[d] = ut_parse(u.system, std::string(kDimensions[d].unit).c_str(), UT_ASCII);
  }
  // formats.md writes angles as "30 deg"; udunits knows the degree but not that symbol.
  ut_unit* degree = ut_parse(u.system, "arc_degree", UT_ASCII);
  if (degree != nullptr) {
    ut_map_symbol_to_unit("deg", UT_ASCII, degree);
    ut_map_symbol_to_unit("deg", UT_UTF8, degree);
    ut_free(degree);  // the map keeps its own copy
  }
  return u;
}

std::mutex& unitMutex() {
  static std::mutex m;
  return m;
}

// Call with unitMutex() held.
const UnitSystem& unitSystem() {
  static const UnitSystem system = loadUnitSystem();
  return system;
}

std::string_view trim(std::string_view s) {
  const auto isSpace = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string inQuotes(std::string_view s) { return "'" + std::string(s) + "'"; }

struct NumberAndUnit {
  double number = 0.0;
  std::string_view unit;
};

Result<NumberAndUnit> splitNumber(std::string_view text) {
  std::string_view rest = text;
  bool negative = false;
  // from_chars takes no '+'; relative times are written "+1.5 h".
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  double value = 0.0;
  const auto [end, ec] =
      std::from_chars(rest.data(), rest.data() + rest.size(), value, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    return Error{inQuotes(text) + " is out of range"};
  }
  if (ec != std::errc{} || (!rest.empty() && (rest.front() == '+' || rest.front() == '-'))) {
    return Error{inQuotes(text) + " does not start with a number"};
  }
  if (!std::isfinite(value)) return Error{inQuotes(text) + " is not a finite number"};
  const std::size_t used = static_cast<std::size_t>(end - rest.data());
  return NumberAndUnit{negative ? -value : value, trim(rest.substr(used))};
}

std::string parseFailure(std::string_view unit, std::string_view text) {
  switch (ut_get_status()) {
    case UT_UNKNOWN:
      return "unknown unit " + inQuotes(unit) + " in " + inQuotes(text);
    case UT_SYNTAX:
    case UT_SUCCESS:  // udunits2 fails some syntax ("m 0in") and leaves the status stale
      return "cannot read the unit " + inQuotes(unit) + " in " + inQuotes(text);
    default:
      return "cannot use the unit " + inQuotes(unit) + " in " + inQuotes(text);
  }
}

std::string mismatch(const UnitSystem& sys, const ut_unit* unit, std::string_view text,
                     Dimension expected) {
  for (std::size_t d = 0; d < kDimensionCount; ++d) {
    // Radians are dimensionless to udunits, so "5 %" would otherwise be called an angle.
    if (static_cast<Dimension>(d) == Dimension::Angle) continue;
    if (sys.si[d] != nullptr && ut_are_convertible(unit, sys.si[d]) != 0) {
      return inQuotes(text) + " is " + std::string(kDimensions[d].noun) + ", expected " +
             std::string(describe(expected));
    }
  }
  return inQuotes(text) + " is not " + std::string(describe(expected)) + " (expected a unit like " +
         std::string(siUnit(expected)) + ")";
}

enum class Reading { Absolute, Difference };

Result<double> parse(std::string_view rawText, Dimension dim, Reading reading) {
  const std::string_view text = trim(rawText);
  if (text.empty()) return Error{"empty quantity, expected " + std::string(describe(dim))};
  auto split = splitNumber(text);
  if (!split) return split.error();
  if (split->unit.empty()) {
    if (dim == Dimension::Dimensionless) return split->number;
    return Error{"no unit in " + inQuotes(text) + " (expected " + std::string(describe(dim)) +
                 ", e.g. in " + std::string(siUnit(dim)) + ")"};
  }

  std::lock_guard<std::mutex> lock(unitMutex());
  const UnitSystem& sys = unitSystem();
  if (sys.system == nullptr) return Error{sys.loadError};
  ut_unit* target = sys.si[static_cast<std::size_t>(dim)];
  if (target == nullptr) return Error{"udunits2 cannot read the SI unit " + inQuotes(siUnit(dim))};

  ut_set_status(UT_SUCCESS);  // some failures leave the status alone: never read a stale one
  const UnitPtr unit(ut_parse(sys.system, std::string(split->unit).c_str(), UT_UTF8), &ut_free);
  if (!unit) return Error{parseFailure(split->unit, text)};
  if (ut_are_convertible(unit.get(), target) == 0)
    return Error{mismatch(sys, unit.get(), text, dim)};
  const ConverterPtr converter(ut_get_converter(unit.get(), target), &cv_free);
  if (!converter) return Error{mismatch(sys, unit.get(), text, dim)};

  double value = cv_convert_double(converter.get(), split->number);
  if (reading == Reading::Difference) value -= cv_convert_double(converter.get(), 0.0);
  if (!std::isfinite(value)) return Error{inQuotes(text) + " is out of range"};
  return value;
}

}  // namespace

std::string_view describe(Dimension dim) { return info(dim).noun; }

std::string_view siUnit(Dimension dim) { return info(dim).unit; }

Result<double> parseQuantity(std::string_view text, Dimension dim) {
  return parse(text, dim, Reading::Absolute);
}

Result<double> parseDifference(std::string_view text, Dimension dim) {
  return parse(text, dim, Reading::Difference);
}

}  // namespace leakhunt::gas
