#include "story/wording.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/confidence.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::story {
namespace {
constexpr double kPerHour = 3600.0;
}  // namespace

std::string humanDuration(double s) {
  if (!std::isfinite(s)) return s > 0 ? "never" : "n/a";
  if (s < 0) return "-" + humanDuration(-s);
  if (s < 120) return fmt::format("{:.0f} s", s);
  if (s < 3 * 3600)
    return fmt::format("{} h {:02d} min", static_cast<int>(s / 3600),
                       static_cast<int>(std::fmod(s, 3600.0) / 60));
  if (s < 3 * 86400) return fmt::format("{:.1f} h", s / 3600);
  return fmt::format("{:.1f} d", s / 86400);
}

std::string humanTime(double unix_s) {
  if (!std::isfinite(unix_s)) return "n/a";
  const std::string iso = telemetry::formatTime(unix_s);  // 2018-08-29T20:00:00Z
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string describeEstimate(const detect::LeakReport& r) {
  // Issue 20: a rate read from one block of a fast pressure drop is only a lower bound, and the
  // crew is told so; the reserve time's safe end stands beside its estimate.
  if (r.rateBasis == detect::RateBasis::PressureRateAtLeast)
    return fmt::format(
        "leak at least {:.2f} kg/h (from the pressure rate: the hole opened within the last "
        "minute); hole at least {:.2f} mm (Cd {:.2f}); onset about {} ({} to {}); reserve time "
        "at most {}, at least {} to the evacuation limits",
        std::max(r.rate_kg_s - kZ95 * r.rateSigma_kg_s, 0.0) * kPerHour, r.diameterLow_m * 1e3,
        r.cd, humanTime(r.onsetTime_s), humanTime(r.onsetLow_s), humanTime(r.onsetHigh_s),
        humanDuration(r.reserveHigh_s), humanDuration(r.reserveLow_s));
  // An emptied segment: its loss now is nearly nothing, and the hole is what matters (for a
  // patch, or to decide the module is lost); it was timed from the decay, or is a lower bound.
  if (detect::emptiedBasis(r.rateBasis)) {
    const bool timed = r.rateBasis == detect::RateBasis::EmptiedDecay;
    return fmt::format(
        "segment emptied ({:.1f} mbar): losing at most {:.2f} kg/h now; hole {}; onset about {} "
        "({} to {}); reserve time {}: past the evacuation limits",
        std::max(r.pressure_pa, 0.0) / 100.0, r.rateHighest_kg_s * kPerHour,
        timed ? fmt::format("{:.2f} mm (95 %: {:.2f} to {:.2f} mm, Cd {:.2f}), timed from its "
                            "decay while it held gas",
                            r.diameter_m * 1e3, r.diameterLow_m * 1e3, r.diameterHigh_m * 1e3, r.cd)
              : fmt::format("at least {:.2f} mm (Cd {:.2f}), from its average loss: its decay "
                            "was not seen",
                            r.diameterLow_m * 1e3, r.cd),
        humanTime(r.onsetTime_s), humanTime(r.onsetLow_s), humanTime(r.onsetHigh_s),
        humanDuration(r.reserveTime_s));
  }
  return fmt::format(
      "leak {:.2f} ± {:.2f} kg/h{}; hole {:.2f} mm (95 %: {:.2f} to {:.2f} mm, Cd {:.2f}); onset "
      "about {} ({} to {}); reserve time {} (95 %: at least {}) to the evacuation limits ({} with "
      "the repress gas on board)",
      r.rate_kg_s * kPerHour, kZ95 * r.rateSigma_kg_s * kPerHour,
      r.rateBasis == detect::RateBasis::PressureRate ? " (from the pressure rate)" : "",
      r.diameter_m * 1e3, r.diameterLow_m * 1e3, r.diameterHigh_m * 1e3, r.cd,
      humanTime(r.onsetTime_s), humanTime(r.onsetLow_s), humanTime(r.onsetHigh_s),
      humanDuration(r.reserveTime_s), humanDuration(r.reserveLow_s),
      humanDuration(r.reserveTimeWithRepress_s));
}

std::string segmentText(const model::Station& station, std::span<const int> modules) {
  // A segment of most of the station reads better as what it leaves out.
  const std::size_t n = station.modules.size();
  std::string out;
  if (modules.size() > n / 2 && modules.size() < n) {
    for (std::size_t i = 0; i < n; ++i)
      if (std::find(modules.begin(), modules.end(), static_cast<int>(i)) == modules.end())
        out += (out.empty() ? "" : ", ") + station.modules[i].id;
    return "all but " + out;
  }
  if (modules.size() == n) return "the whole station";
  for (int m : modules)
    out += (out.empty() ? "" : ", ") + station.modules[static_cast<std::size_t>(m)].id;
  return out;
}

}  // namespace leakhunt::story
