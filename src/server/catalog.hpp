// What the server knows about channels: the station's sensors (in the detector's channel order)
// and the derived channels the server itself produces (leak alarm, rate, hole size, reserve
// time, sensor faults), each with a unit and limits. Also the Open MCT dictionary: an object
// tree of segments, modules and channels built from the station description.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/station.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::server {

// Yamcs' monitoring ladder (openmct.md 4.1), mapped to Open MCT colours by the plugin.
enum class Monitoring { InLimits, Watch, Warning, Distress, Critical };
const char* toString(Monitoring m);

struct LimitBand {
  std::optional<double> low, high;
};

struct ChannelInfo {
  std::string name;      // "zvezda.pressure", "leakhunt.leak_rate"
  std::string label;     // "Zvezda pressure"
  std::string module;    // module (or hatch) id; empty for station-wide derived channels
  std::string unit;      // SI: Pa, K, kg/s, m, s, kg; "%" for relative humidity
  std::string format;    // Open MCT value format: "float", "enum", "integer"
  bool derived = false;  // produced by the server; clients may not write it
  LimitBand warning, critical;
  std::vector<std::pair<int, std::string>> enumerations;
};

struct CatalogOptions {
  double reserveWarning_s = 24 * 3600.0;  // reserve time below this: WARNING
  double reserveCritical_s = 6 * 3600.0;  // ... below this: CRITICAL
  double pressureWarningFraction = 0.97;  // module pressure below this share of nominal: WARNING
};

// Names of the derived channels.
namespace derived {
inline constexpr const char* kLeakAlarm = "leakhunt.leak_alarm";
inline constexpr const char* kLeakRate = "leakhunt.leak_rate";
inline constexpr const char* kLeakRateSigma = "leakhunt.leak_rate_sigma";
inline constexpr const char* kHoleDiameter = "leakhunt.hole_diameter";
inline constexpr const char* kReserveTime = "leakhunt.reserve_time";
inline constexpr const char* kSegmentInventory = "leakhunt.segment_inventory";
inline constexpr const char* kSensorFaults = "leakhunt.sensor_faults";
inline constexpr const char* kEvents = "leakhunt.events";  // not a channel: the event stream
}  // namespace derived

class Catalog {
 public:
  Catalog(const model::Station& station, CatalogOptions options = {});

  const model::Station& station() const { return m_station; }
  const telemetry::ChannelTable& table() const { return m_table; }
  const ChannelInfo& info(int channel) const { return m_info[static_cast<std::size_t>(channel)]; }
  int find(const std::string& name) const { return m_table.find(name); }
  std::size_t size() const { return m_info.size(); }
  // Channels 0 .. sensorCount()-1 are the station's sensors, in the detector's order.
  std::size_t sensorCount() const { return m_sensorCount; }
  std::vector<std::string> sensorNames() const;

  // Limit evaluation; `range` is set to "LOW" or "HIGH" when out of limits.
  Monitoring evaluate(int channel, double value, const char** range) const;

  // Appends an Open MCT datum {"id", "timestamp" [ms], "value", "monitoringResult",
  // "rangeCondition" (when out of limits)}. `compact` (history answers, whose channel the
  // request names): no "id", and no "monitoringResult" when in limits.
  void appendDatum(std::string& out, int channel, double time_s, double value,
                   bool compact = false) const;

  // The dictionary the plugin builds its object tree from (docs/server.md).
  nlohmann::json dictionary() const;
  // The station description as served at /api/station (modules, hatches, segments).
  nlohmann::json stationJson() const;

 private:
  int add(ChannelInfo info);

  const model::Station& m_station;
  CatalogOptions m_options;
  telemetry::ChannelTable m_table;
  std::vector<ChannelInfo> m_info;
  std::size_t m_sensorCount = 0;
};

}  // namespace leakhunt::server
