#include "telemetry/telemetry_guard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>

namespace leakhunt::telemetry {
namespace {

// Names in a message: the first few, then how many more (a station may have hundreds).
std::string listOf(const std::vector<std::string>& names, std::size_t shown = 12) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < shown; ++i)
    out += (i ? ", " : "") + ("'" + names[i] + "'");
  if (names.size() > shown) out += fmt::format(" and {} more", names.size() - shown);
  return out;
}

struct Unit {
  const char* name;
  double toSi;  // SI value of one unit
  double offset = 0.0;
};

// Units a cabin's pressure or temperature is commonly logged in, for the unit-slip guess.
constexpr Unit kPressureUnits[] = {
    {"mmHg", 133.322387415}, {"kPa", 1000.0},       {"psi", 6894.757293}, {"bar", 1.0e5},
    {"atm", 101325.0},       {"mbar (hPa)", 100.0}, {"inHg", 3386.389}};
constexpr Unit kTemperatureUnits[] = {{"degC", 1.0, 273.15}, {"degF", 5.0 / 9.0, 255.372222}};

// A first value within kNominalBand of the cabin's is SI; one off it but within kSlipBand of the
// cabin's in another unit is that unit (22 degC and 22 degF = 267 K are told apart).
constexpr double kNominalBand = 0.2;
constexpr double kSlipBand = 0.07;

bool near(double value, double nominal, double band) {
  return std::abs(value - nominal) <= band * std::abs(nominal);
}

}  // namespace

TelemetryGuard::ChannelInfo& TelemetryGuard::infoOf(int channel, const ChannelTable& channels) {
  const auto c = static_cast<std::size_t>(channel);
  if (c >= m_info.size()) {
    m_info.resize(c + 1);
    m_names.resize(c + 1);
  }
  ChannelInfo& info = m_info[c];
  if (info.kind != Kind::Unknown) return info;
  const std::string& name = channels.name(channel);
  m_names[c] = name;
  info = classify(name);
  return info;
}

TelemetryGuard::ChannelInfo TelemetryGuard::classify(const std::string& name) const {
  ChannelInfo info;
  info.kind = Kind::Unmatched;
  for (const model::Sensor& s : m_station.sensors) {
    if (s.channel != name) continue;
    info.sensor = &s;  // the last wins, as in the detector
    switch (s.quantity) {
      case model::Quantity::Pressure:
        info.kind = Kind::Pressure;
        break;
      case model::Quantity::Temperature:
        info.kind = Kind::Temperature;
        break;
      case model::Quantity::PartialPressureO2:
        info.kind = Kind::PpO2;
        break;
      case model::Quantity::PartialPressureCo2:
        info.kind = Kind::PpCo2;
        break;
      case model::Quantity::HatchState:
        info.kind = Kind::Hatch;
        break;
      case model::Quantity::RelativeHumidity:
        info.kind = Kind::Humidity;
        break;
    }
  }
  return info;
}

bool TelemetryGuard::matches(const std::string& channel) const {
  return classify(channel).kind != Kind::Unmatched;
}

std::optional<std::string> TelemetryGuard::checkValue(const std::string& channel, double value,
                                                      bool first) const {
  const ChannelInfo info = classify(channel);
  if (info.kind == Kind::Unmatched) return std::nullopt;
  if (auto problem = rangeProblem(info, channel, value)) return problem;
  if (first) return unitSlip(info, channel, value);
  return std::nullopt;
}

std::optional<std::string> TelemetryGuard::rangeProblem(const ChannelInfo& info,
                                                        const std::string& name,
                                                        double value) const {
  const auto outside = [&](const char* what, const char* range) -> std::optional<std::string> {
    return fmt::format("channel '{}' value {} is not {}: allowed {}", name, value, what, range);
  };
  switch (info.kind) {
    case Kind::Pressure:
    case Kind::PpO2:
    case Kind::PpCo2:
      if (!(value >= 0.0 && value <= kMaxPressure_pa))
        return outside(info.kind == Kind::Pressure ? "an absolute pressure" : "a partial pressure",
                       "0 to 1e6 Pa");
      return std::nullopt;
    case Kind::Temperature:
      if (!(value > 0.0 && value <= kMaxTemperature_k))
        return outside("an absolute temperature", "above 0 K, up to 1000 K");
      return std::nullopt;
    case Kind::Hatch:
      if (!(value >= 0.0 && value <= 1.0))
        return outside("a hatch state", "0 (closed) to 1 (open)");
      return std::nullopt;
    // No unit-slip guess: a fraction (0.45 for 45 %) is also what a bone-dry cabin reads.
    case Kind::Humidity:
      if (!(value >= 0.0 && value <= kMaxHumidity_percent))
        return outside("a relative humidity", "0 to 100 (percent)");
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// The first value of a pressure or temperature channel far from the cabin's in SI but near it in
// another unit: a file logged in that unit (1e5 Pa is not a typo for 760).
std::optional<std::string> TelemetryGuard::unitSlip(const ChannelInfo& info,
                                                    const std::string& name, double value) const {
  double nominal = 0.0;
  std::span<const Unit> units;
  const char* si = "Pa";
  const char* hint = "Pa = mmHg * 133.322, kPa * 1000";
  if (info.kind == Kind::Pressure) {
    nominal = m_station.atmosphere.pressure_pa;
    units = kPressureUnits;
  } else if (info.kind == Kind::Temperature) {
    const int m = m_station.moduleIndex(info.sensor->module);
    nominal = m >= 0 ? m_station.modules[static_cast<std::size_t>(m)].temperature_k.value_or(
                           m_station.atmosphere.temperature_k)
                     : m_station.atmosphere.temperature_k;
    units = kTemperatureUnits;
    si = "K";
    hint = "K = degC + 273.15";
  } else {
    return std::nullopt;
  }
  if (!(nominal > 0.0) || near(value, nominal, kNominalBand)) return std::nullopt;
  std::string likely;
  for (const Unit& u : units)
    if (near(value * u.toSi + u.offset, nominal, kSlipBand))
      likely += (likely.empty() ? "" : " or ") + std::string(u.name);
  if (likely.empty()) return std::nullopt;
  return fmt::format(
      "channel '{}' value {} looks like {}, not {}: the station's cabin is at {:.6g} {} "
      "(telemetry values are SI: convert the file, {})",
      name, value, likely, si, nominal, si, hint);
}

std::optional<std::string> TelemetryGuard::check(const Sample& s, const ChannelTable& channels,
                                                 const std::string& file, std::size_t line,
                                                 bool& use) {
  use = false;
  ++m_rows;
  ChannelInfo& info = infoOf(s.channel, channels);
  ++info.samples;
  if (info.firstLine == 0) {
    info.firstFile = file;
    info.firstLine = line;
  }
  if (info.kind != Kind::Unmatched) {
    const std::string& name = m_names[static_cast<std::size_t>(s.channel)];
    if (auto problem = rangeProblem(info, name, s.value)) return problem;
    if (!info.unitChecked) {
      info.unitChecked = true;
      if (auto problem = unitSlip(info, name, s.value)) return problem;
    }
  }
  if (m_haveNewest && s.time_s < m_newest_s - kOrderJitter_s) {
    if (m_dropped++ == 0)
      m_firstDropped = fmt::format("{}:{} ({}), after {}:{} ({})", file, line, formatTime(s.time_s),
                                   m_newestFile, m_newestLine, formatTime(m_newest_s));
    return std::nullopt;
  }
  if (!m_haveNewest || s.time_s > m_newest_s) {
    m_haveNewest = true;
    m_newest_s = s.time_s;
    if (m_newestFile != file) m_newestFile = file;
    m_newestLine = line;
  }
  use = true;
  if (info.kind != Kind::Unmatched) {
    info.seen = true;
    ++m_used;
  }
  return std::nullopt;
}

Result<std::size_t> TelemetryGuard::read(const std::string& path, ChannelTable& channels,
                                         const std::function<void(const Sample&)>& onSample) {
  const CheckedSampleFn checked = [&](const Sample& s,
                                      std::size_t line) -> std::optional<std::string> {
    bool use = false;
    if (auto refused = check(s, channels, path, line, use)) return refused;
    if (use) onSample(s);
    return std::nullopt;
  };
  return readTelemetryFile(path, channels, checked);
}

std::optional<GuardFailure> TelemetryGuard::verdict() const {
  std::vector<std::string> expected;
  for (const model::Sensor& s : m_station.sensors) expected.push_back(s.channel);
  if (expected.empty())
    return GuardFailure{
        "the station lists no sensors, so no telemetry channel can be matched to "
        "a module: add a `sensors:` list to the station (docs/formats.md)",
        2};
  if (m_rows == 0)
    return GuardFailure{fmt::format("the telemetry holds no samples: nothing to analyse (expected "
                                    "channels {})",
                                    listOf(expected)),
                        2};
  if (m_used == 0) {
    std::vector<std::string> found;
    for (std::size_t c = 0; c < m_info.size(); ++c)
      if (m_info[c].samples > 0) found.push_back(m_names[c]);
    return noChannelMatches(found);
  }
  if (static_cast<double>(m_dropped) > kMaxDroppedShare * static_cast<double>(m_rows))
    return GuardFailure{
        fmt::format("{} of {} rows ({:.3g} %) go back in time and were not used; the first is {}. "
                    "Sort the rows by time (one row dated far ahead hides every row after it: "
                    "is the time of the row it follows right?)",
                    m_dropped, m_rows, 100.0 * static_cast<double>(m_dropped) / m_rows,
                    m_firstDropped),
        1};
  return std::nullopt;
}

GuardFailure TelemetryGuard::noChannelMatches(const std::vector<std::string>& found) const {
  std::vector<std::string> expected;
  for (const model::Sensor& s : m_station.sensors) expected.push_back(s.channel);
  return GuardFailure{
      fmt::format("no channel in the telemetry matches a sensor of the station, so nothing in it "
                  "can be used. Expected {}; found {}. Rename the channels in the file, or map "
                  "them in the station: give each sensor the file's name with `channel:` under "
                  "`sensors:`",
                  listOf(expected), listOf(found)),
      2};
}

std::string TelemetryGuard::unmatchedWarning(const std::vector<std::string>& unmatched,
                                             std::size_t samples) {
  return fmt::format(
      "{} channel(s) match no sensor of the station and were not used ({} samples): {}",
      unmatched.size(), samples, listOf(unmatched));
}

std::vector<std::string> TelemetryGuard::warnings() const {
  std::vector<std::string> out;
  std::vector<std::string> unmatched;
  std::size_t unmatchedSamples = 0;
  for (std::size_t c = 0; c < m_info.size(); ++c)
    if (m_info[c].kind == Kind::Unmatched && m_info[c].samples > 0) {
      unmatched.push_back(m_names[c]);
      unmatchedSamples += m_info[c].samples;
    }
  if (!unmatched.empty()) out.push_back(unmatchedWarning(unmatched, unmatchedSamples));
  if (m_dropped > 0)
    out.push_back(fmt::format("{} of {} rows go back in time and were not used; the first is {}",
                              m_dropped, m_rows, m_firstDropped));
  return out;
}

std::vector<bool> TelemetryGuard::watchedModules() const {
  std::vector<bool> watched(m_station.modules.size(), false);
  for (const ChannelInfo& info : m_info) {
    if (info.kind != Kind::Pressure || !info.seen) continue;
    const int m = m_station.moduleIndex(info.sensor->module);
    if (m >= 0) watched[static_cast<std::size_t>(m)] = true;
  }
  return watched;
}

}  // namespace leakhunt::telemetry
