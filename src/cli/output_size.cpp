#include "cli/output_size.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "gas/species.hpp"

namespace leakhunt::cli {
namespace {

// A CSV row is "YYYY-MM-DDThh:mm:ss.sssZ,<channel>,<value>\n": 24 + 2 + ~18 bytes beside the
// channel; JSON Lines adds about 40 bytes of keys and quotes.
constexpr double kCsvRowOverhead = 44.0;
constexpr double kJsonRowExtra = 40.0;

double rowsOver(double duration_s, double period_s) {
  if (!(period_s > 0.0)) return 0.0;
  return std::floor(duration_s / period_s) + 1.0;
}

// Output instants that count as one sensor instant: the simulator steps at the finest of the
// output and sensor periods, and a sensor reads at every step within 1e-6 max(1, period) s of its
// grid (sim/simulation.cpp, onGrid), so an output period far below that repeats each reading.
double repeatsPerReading(double step_s, double period_s) {
  if (!(step_s > 0.0)) return 1.0;
  return std::max(1.0, std::floor(2.0e-6 * std::max(1.0, period_s) / step_s));
}

}  // namespace

OutputEstimate estimateSimulateOutput(const model::Scenario& sc, bool telemetry, bool truth,
                                      telemetry::Format format) {
  OutputEstimate e;
  const double extra = format == telemetry::Format::JsonLines ? kJsonRowExtra : 0.0;
  double step_s = sc.outputPeriod_s;
  if (telemetry)
    for (const model::Sensor& s : sc.station.sensors) step_s = std::min(step_s, s.period_s);
  if (telemetry)
    for (const model::Sensor& s : sc.station.sensors) {
      const double rows =
          rowsOver(sc.duration_s, s.period_s) * repeatsPerReading(step_s, s.period_s);
      e.telemetryRows += rows;
      e.bytes += rows * (kCsvRowOverhead + extra + static_cast<double>(s.channel.size()));
    }
  if (truth) {
    // Per module: pressure, temperature and each species' partial pressure; per leak a flow.
    const double perOutput =
        static_cast<double>(sc.station.modules.size()) * (2.0 + gas::kSpeciesCount) +
        static_cast<double>(sc.events.size());
    e.truthRows = rowsOver(sc.duration_s, sc.outputPeriod_s) *
                  repeatsPerReading(step_s, sc.outputPeriod_s) * perOutput;
    e.bytes += e.truthRows * (kCsvRowOverhead + extra + 16.0);
  }
  return e;
}

Result<double> parseByteSize(const std::string& option, const std::string& text) {
  const Error bad{option + ": cannot read '" + text +
                  "': a size above 0, e.g. 2 GB, 500 MB, 10 GiB or a number of bytes"};
  double value = 0.0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc{} || !std::isfinite(value) || !(value > 0.0)) return bad;
  std::string unit(stop, end);
  unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
  static const std::pair<const char*, double> kUnits[] = {{"", 1.0},
                                                          {"B", 1.0},
                                                          {"kB", 1e3},
                                                          {"KB", 1e3},
                                                          {"MB", 1e6},
                                                          {"GB", 1e9},
                                                          {"TB", 1e12},
                                                          {"KiB", 1024.0},
                                                          {"MiB", 1048576.0},
                                                          {"GiB", 1073741824.0},
                                                          {"TiB", 1099511627776.0}};
  for (const auto& [name, factor] : kUnits)
    if (unit == name) return value * factor;
  return bad;
}

std::string byteText(double bytes) {
  if (bytes >= 1e12) return fmt::format("{:.3g} TB", bytes / 1e12);
  if (bytes >= 1e9) return fmt::format("{:.3g} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.3g} MB", bytes / 1e6);
  if (bytes >= 1e3) return fmt::format("{:.3g} kB", bytes / 1e3);
  return fmt::format("{:.0f} B", bytes);
}

}  // namespace leakhunt::cli
