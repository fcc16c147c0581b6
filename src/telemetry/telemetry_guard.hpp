// Whether telemetry can be used, checked before an analysis answers from it (issues 14 and 21).
// Every analysis command (detect, locate infer, verify, trend, onset) reads through one guard:
// - channels must match the station's sensors (none matching is a refusal that names the
//   channels expected and says how to map them; the unmatched ones are listed);
// - values must be physical: an absolute pressure is 0 to 1 MPa, a temperature 0 to 1000 K, a
//   hatch state 0 to 1, a relative humidity 0 to 100 %; a channel whose first value is the cabin's
//   in another unit (mmHg, kPa, psi, bar, degC, ...) is refused as a unit slip;
// - rows must be in time order: a row earlier than one already read (by more than a second) is
//   dropped and counted; more than 1 % dropped refuses the whole input (a reversed or shuffled
//   file, or one row dated decades ahead, which would hide every row after it).
// A module with no pressure sensor that gave data is "not watched": the commands say so instead
// of "no leak".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "model/station.hpp"
#include "telemetry/sample.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::telemetry {

// Physical bounds of a sample [SI], the refusal's "allowed range".
inline constexpr double kMaxPressure_pa = 1.0e6;
inline constexpr double kMaxTemperature_k = 1000.0;
inline constexpr double kMaxHumidity_percent = 100.0;  // a hygrometer's scale ends at saturation
// Disorder tolerated without a drop [s]: writers that merge sensors interleave within a second.
inline constexpr double kOrderJitter_s = 1.0;
inline constexpr double kMaxDroppedShare = 0.01;

struct GuardFailure {
  std::string message;
  int exitCode = 1;  // 2: no channel matches (the input is not for this station)
};

class TelemetryGuard {
 public:
  // The station outlives the guard.
  explicit TelemetryGuard(const model::Station& station) : m_station(station) {}

  // Reads one file through the guard, interning into `channels` (the same table for every
  // file); usable samples go to `onSample` in time order. A refusal stops the read with
  // "file:line: ...". Call for each file in turn, then verdict().
  Result<std::size_t> read(const std::string& path, ChannelTable& channels,
                           const std::function<void(const Sample&)>& onSample);
  // The check of one sample read at `file`:`line` whose channel is in `channels`: a refusal
  // text, or nullopt with `use` set (false: dropped, out of time order).
  std::optional<std::string> check(const Sample& s, const ChannelTable& channels,
                                   const std::string& file, std::size_t line, bool& use);

  // After the last file: why nothing usable was read, or why the input as a whole is refused.
  std::optional<GuardFailure> verdict() const;
  // Notes for stderr: unmatched channels, a few dropped rows.
  std::vector<std::string> warnings() const;
  // Per module: a pressure sensor of it delivered a usable sample. A segment none of whose
  // modules is watched is "not watched": no analysis can say anything about a leak there.
  std::vector<bool> watchedModules() const;
  std::size_t usedSamples() const { return m_used; }

  // The same checks for telemetry that comes batch by batch instead of from a file (serve's
  // ingest). `matches`: a sensor of the station has this channel. `checkValue`: why one value of
  // a matched channel is refused (its physical range; when `first`, the channel's first value,
  // a unit slip against the cabin's), or nullopt.
  bool matches(const std::string& channel) const;
  std::optional<std::string> checkValue(const std::string& channel, double value, bool first) const;
  // The refusal when no channel of `found` matches a sensor, and the warning for the unmatched
  // ones: verdict() and warnings() give the same words.
  GuardFailure noChannelMatches(const std::vector<std::string>& found) const;
  static std::string unmatchedWarning(const std::vector<std::string>& unmatched,
                                      std::size_t samples);

 private:
  enum class Kind : std::int8_t {
    Unknown,
    Unmatched,
    Pressure,
    Temperature,
    PpO2,
    PpCo2,
    Hatch,
    Humidity
  };
  struct ChannelInfo {
    Kind kind = Kind::Unknown;
    const model::Sensor* sensor = nullptr;
    bool seen = false;         // a usable sample delivered
    bool unitChecked = false;  // the first value was compared with the cabin's
    std::size_t samples = 0;
    std::string firstFile;
    std::size_t firstLine = 0;
  };
  ChannelInfo& infoOf(int channel, const ChannelTable& channels);
  ChannelInfo classify(const std::string& name) const;
  std::optional<std::string> rangeProblem(const ChannelInfo& info, const std::string& name,
                                          double value) const;
  std::optional<std::string> unitSlip(const ChannelInfo& info, const std::string& name,
                                      double value) const;

  const model::Station& m_station;
  std::vector<ChannelInfo> m_info;   // by channel index
  std::vector<std::string> m_names;  // by channel index, for the messages after reading
  std::size_t m_rows = 0, m_used = 0, m_dropped = 0;
  bool m_haveNewest = false;
  double m_newest_s = 0.0;
  std::string m_newestFile;
  std::size_t m_newestLine = 0;
  std::string m_firstDropped;  // "file:line (time), after file:line (time)"
};

}  // namespace leakhunt::telemetry
