#include "server/catalog.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "detect/station_segments.hpp"

namespace leakhunt::server {

namespace {

using nlohmann::json;

const char* quantityName(model::Quantity q) {
  switch (q) {
    case model::Quantity::Pressure:
      return "pressure";
    case model::Quantity::Temperature:
      return "temperature";
    case model::Quantity::PartialPressureO2:
      return "ppO2";
    case model::Quantity::PartialPressureCo2:
      return "ppCO2";
    case model::Quantity::HatchState:
      return "hatch state";
    case model::Quantity::RelativeHumidity:
      return "relative humidity";
  }
  return "?";
}

json limitsJson(const ChannelInfo& c) {
  json out = json::object();
  auto band = [&](const char* level, const LimitBand& b) {
    json j = json::object();
    if (b.low) j["low"] = *b.low;
    if (b.high) j["high"] = *b.high;
    if (!j.empty()) out[level] = j;
  };
  band("WARNING", c.warning);
  band("CRITICAL", c.critical);
  return out;
}

json valuesJson(const ChannelInfo& c) {
  json value{{"key", "value"}, {"name", c.label}, {"unit", c.unit}, {"hints", {{"range", 1}}}};
  if (c.format == "enum") {
    value["format"] = "enum";
    json e = json::array();
    for (const auto& [v, s] : c.enumerations) e.push_back({{"value", v}, {"string", s}});
    value["enumerations"] = e;
  } else {
    value["format"] = c.format;
  }
  return json::array({{{"key", "utc"},
                       {"source", "timestamp"},
                       {"name", "Time"},
                       {"format", "utc"},
                       {"hints", {{"domain", 1}}}},
                      value,
                      {{"key", "monitoringResult"}, {"name", "Limit"}, {"format", "string"}}});
}

}  // namespace

const char* toString(Monitoring m) {
  switch (m) {
    case Monitoring::InLimits:
      return "IN_LIMITS";
    case Monitoring::Watch:
      return "WATCH";
    case Monitoring::Warning:
      return "WARNING";
    case Monitoring::Distress:
      return "DISTRESS";
    case Monitoring::Critical:
      return "CRITICAL";
  }
  return "?";
}

Catalog::Catalog(const model::Station& station, CatalogOptions options)
    : m_station(station), m_options(options) {
  const model::Limits limits = station.limits.value_or(model::Limits{});
  for (const model::Sensor& s : station.sensors) {
    ChannelInfo c;
    c.name = s.channel;
    c.module = s.module;
    c.label = s.module + " " + quantityName(s.quantity);
    c.format = "float";
    switch (s.quantity) {
      case model::Quantity::Pressure:
        c.unit = "Pa";
        c.warning.low = options.pressureWarningFraction * station.atmosphere.pressure_pa;
        c.critical.low = limits.evacuationPressure_pa;
        break;
      case model::Quantity::Temperature:
        c.unit = "K";
        break;
      case model::Quantity::PartialPressureO2:  // the habitability limits (station.hpp)
        c.unit = "Pa";
        c.warning = {limits.nominalPpO2Low_pa, limits.nominalPpO2High_pa};
        c.critical.low = limits.minPpO2_pa;
        break;
      case model::Quantity::PartialPressureCo2:
        c.unit = "Pa";
        c.warning.high = limits.maxPpCo2_pa;
        break;
      case model::Quantity::RelativeHumidity:  // read in percent, the band is fractions
        c.unit = "%";
        c.warning = {model::kPercent * limits.minHumidity, model::kPercent * limits.maxHumidity};
        break;
      case model::Quantity::HatchState:
        c.unit = "";
        c.format = "enum";
        c.enumerations = {{0, "CLOSED"}, {1, "OPEN"}};
        break;
    }
    add(std::move(c));
  }
  m_sensorCount = m_info.size();
  auto derivedChannel = [&](const char* name, const char* label, const char* unit) {
    ChannelInfo c;
    c.name = name;
    c.label = label;
    c.unit = unit;
    c.format = "float";
    c.derived = true;
    return c;
  };
  ChannelInfo alarm = derivedChannel(derived::kLeakAlarm, "Leak alarm", "");
  alarm.format = "enum";
  alarm.enumerations = {{0, "NOMINAL"}, {1, "LEAK"}};
  alarm.critical.high = 0.5;
  add(std::move(alarm));
  add(derivedChannel(derived::kLeakRate, "Leak rate", "kg/s"));
  add(derivedChannel(derived::kLeakRateSigma, "Leak rate 1-sigma", "kg/s"));
  add(derivedChannel(derived::kHoleDiameter, "Hole diameter", "m"));
  ChannelInfo reserve = derivedChannel(derived::kReserveTime, "Reserve time", "s");
  reserve.warning.low = options.reserveWarning_s;
  reserve.critical.low = options.reserveCritical_s;
  add(std::move(reserve));
  add(derivedChannel(derived::kSegmentInventory, "Leaking segment inventory", "kg"));
  ChannelInfo faults = derivedChannel(derived::kSensorFaults, "Sensor faults", "");
  faults.format = "integer";
  faults.warning.high = 0.5;
  add(std::move(faults));
}

int Catalog::add(ChannelInfo info) {
  const int index = m_table.intern(info.name);
  if (static_cast<std::size_t>(index) == m_info.size()) m_info.push_back(std::move(info));
  return index;
}

std::vector<std::string> Catalog::sensorNames() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < m_sensorCount; ++i) out.push_back(m_info[i].name);
  return out;
}

Monitoring Catalog::evaluate(int channel, double value, const char** range) const {
  const ChannelInfo& c = info(channel);
  *range = nullptr;
  auto outside = [&](const LimitBand& b) {
    if (b.low && value < *b.low) *range = "LOW";
    if (b.high && value > *b.high) *range = "HIGH";
    return *range != nullptr;
  };
  if (outside(c.critical)) return Monitoring::Critical;
  if (outside(c.warning)) return Monitoring::Warning;
  return Monitoring::InLimits;
}

void Catalog::appendDatum(std::string& out, int channel, double time_s, double value,
                          bool compact) const {
  const char* range = nullptr;
  const Monitoring m = evaluate(channel, value, &range);
  auto to = std::back_inserter(out);
  if (compact)
    fmt::format_to(to, R"({{"timestamp":{},"value":{})", std::llround(time_s * 1000.0), value);
  else
    fmt::format_to(to, R"({{"id":"{}","timestamp":{},"value":{})", info(channel).name,
                   std::llround(time_s * 1000.0), value);
  if (!compact || m != Monitoring::InLimits)
    fmt::format_to(to, R"(,"monitoringResult":"{}")", toString(m));
  if (range) fmt::format_to(to, R"(,"rangeCondition":"{}")", range);
  out += '}';
}

json Catalog::dictionary() const {
  json measurements = json::array();
  for (const ChannelInfo& c : m_info)
    measurements.push_back({{"key", c.name},
                            {"name", c.label},
                            {"module", c.module},
                            {"derived", c.derived},
                            {"unit", c.unit},
                            {"values", valuesJson(c)},
                            {"limits", limitsJson(c)}});
  return {{"name", m_station.name.empty() ? "Station" : m_station.name},
          {"key", "station"},
          {"clock_channel", m_info.empty() ? "" : m_info.front().name},
          {"measurements", measurements},
          {"station", stationJson()}};
}

json Catalog::stationJson() const {
  json modules = json::array();
  for (const model::Module& m : m_station.modules)
    modules.push_back({{"id", m.id},
                       {"name", m.name.empty() ? m.id : m.name},
                       {"vehicle", m.vehicle},
                       {"volume_m3", m.volume_m3}});
  json hatches = json::array();
  for (const model::Hatch& h : m_station.hatches)
    hatches.push_back({{"id", h.id},
                       {"a", h.moduleA},
                       {"b", h.moduleB},
                       {"open", h.open},
                       {"area_m2", h.area_m2}});
  const network::Segmentation seg = detect::declaredSegments(m_station);
  json segments = json::array();
  for (std::size_t s = 0; s < seg.members.size(); ++s) {
    json members = json::array();
    for (int m : seg.members[s])
      members.push_back(m_station.modules[static_cast<std::size_t>(m)].id);
    segments.push_back({{"id", "segment-" + std::to_string(s + 1)}, {"modules", members}});
  }
  return {{"name", m_station.name},
          {"nominal_pressure_pa", m_station.atmosphere.pressure_pa},
          {"modules", modules},
          {"hatches", hatches},
          {"segments", segments}};
}

}  // namespace leakhunt::server
