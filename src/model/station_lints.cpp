#include "model/station_lints.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "model/steady_air.hpp"

namespace leakhunt::model {

namespace {

constexpr double kMmHg_pa = 133.322387415;

std::string fixed(double v, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

std::string general(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3g", v);
  return text;
}

std::string mmHg(double pa) { return fixed(pa / kMmHg_pa, 1) + " mmHg"; }
std::string percent(double x) { return fixed(100.0 * x, 0) + " %"; }

std::string crewIn(const Station& s, std::size_t module) {
  std::string names;
  int n = 0;
  for (const CrewMember& c : s.crew) {
    if (s.moduleIndex(c.location) != static_cast<int>(module)) continue;
    names += (n++ > 0 ? ", " : "") + c.id;
  }
  return names;
}

void warn(std::vector<Diagnostic>& out, const SourceLocation& where, std::string message) {
  out.push_back({where, Diagnostic::Warning, std::move(message)});
}

// Crewed modules with no CO2 removal anywhere in their segment; the segments with removal.
void lintCo2Paths(const Station& s, const SteadyAir& air, std::vector<Diagnostic>& out) {
  std::vector<bool> removes(s.modules.size(), false);
  for (const LifeSupport& ls : s.lifeSupport) {
    const int m = s.moduleIndex(ls.module);
    if (ls.kind == LifeSupportKind::Co2Removal && m >= 0 && ls.flow_m3_s * ls.efficiency > 0.0)
      removes[static_cast<std::size_t>(air.segmentOf[static_cast<std::size_t>(m)])] = true;
  }
  for (std::size_t i = 0; i < s.modules.size(); ++i) {
    const std::string crew = crewIn(s, i);
    if (crew.empty() || removes[static_cast<std::size_t>(air.segmentOf[i])]) continue;
    const Module& m = s.modules[i];
    warn(out, m.where,
         "module '" + m.id + "' holds crew (" + crew +
             ") but no path through open hatches that exchange air leads to CO2 removal: "
             "ppCO2 there rises without end; open (or ventilate) a hatch towards a module with "
             "co2_removal, or add one here");
  }
}

// Modules whose air some crew member breathes out into: in their group of modules that exchange
// air. Only there does too dry a steady state mean something (an empty module stays as dry as
// its declared atmosphere, with no one to feel it).
std::vector<bool> humidifiedByCrew(const Station& s, const SteadyAir& air) {
  std::vector<bool> crewed(s.modules.size(), false), out(s.modules.size(), false);
  for (const CrewMember& c : s.crew) {
    const int m = s.moduleIndex(c.location);
    if (m >= 0) crewed[static_cast<std::size_t>(air.segmentOf[static_cast<std::size_t>(m)])] = true;
  }
  for (std::size_t i = 0; i < s.modules.size(); ++i)
    out[i] = crewed[static_cast<std::size_t>(air.segmentOf[i])];
  return out;
}

// Steady ppCO2 and humidity against the limits, where the crew's air has removal at all.
void lintLifeSupport(const Station& s, const SteadyAir& air, std::vector<Diagnostic>& out) {
  const Limits limits = s.limits.value_or(Limits{});
  const std::vector<bool> humidified = humidifiedByCrew(s, air);
  for (std::size_t i = 0; i < s.modules.size(); ++i) {
    const Module& m = s.modules[i];
    const double co2 = air.ppCo2_pa[i];
    if (std::isfinite(co2) && co2 > limits.maxPpCo2_pa)
      warn(out, m.where,
           "steady ppCO2 in module '" + m.id + "' would be " + mmHg(co2) + ", over the limit of " +
               mmHg(limits.maxPpCo2_pa) +
               ": CO2 removal (flow x efficiency) is too small for the crew it serves, or the "
               "exchange through hatches too weak (computed from the declared numbers)");
    if (air.condensing[i] && (air.ppH2o_pa[i] > 0.0))
      warn(out, m.where,
           "water vapour in module '" + m.id + "' would reach saturation (" +
               mmHg(air.ppH2o_pa[i]) +
               ") and condense on its coldest surface: water removal is too small for the "
               "crew it serves, or out of reach through open hatches");
    else if (air.relativeHumidity[i] > limits.maxHumidity)
      warn(out, m.where,
           "steady relative humidity in module '" + m.id + "' would be " +
               percent(air.relativeHumidity[i]) + ", over the limit of " +
               percent(limits.maxHumidity) + ": water removal is too small for the crew it serves");
    else if (humidified[i] && air.waterRemoved[i] && air.relativeHumidity[i] < limits.minHumidity)
      warn(out, m.where,
           "steady relative humidity in module '" + m.id + "' would be " +
               percent(air.relativeHumidity[i]) + ", under the limit of " +
               percent(limits.minHumidity) +
               ": water removal takes out more than the crew breathe out (a coil colder than "
               "it needs, or more flow); dry air cracks skin and eyes and charges surfaces "
               "(computed from the declared numbers)");
  }
}

void lintSensors(const Station& s, std::vector<Diagnostic>& out) {
  if (s.sensors.empty()) {
    warn(out, s.where,
         "station '" + s.name +
             "' has no sensors: simulate will write no telemetry and detect will have nothing "
             "to read; add at least one pressure sensor per module");
    return;
  }
  for (const Module& m : s.modules) {
    bool watched = false;
    for (const Sensor& sensor : s.sensors)
      watched = watched || (sensor.quantity == Quantity::Pressure && sensor.module == m.id);
    if (!watched)
      warn(out, m.where,
           "module '" + m.id +
               "' has no pressure sensor: a leak there can be found only by exclusion, and "
               "only while an open hatch joins it to a module that has one");
  }
}

std::string kelvin(double k) { return fixed(k - 273.15, 1) + " degC"; }

// Values no crewed cabin has: each is legal to the reader, but a typo or a unit slip is far
// likelier, and some make the solver fail with a message about itself (issue 21, items 14, 16).
void addImplausible(const Station& s, std::vector<Diagnostic>& out) {
  constexpr double kCold_k = 263.15, kHot_k = 323.15;  // -10 to 50 degC
  const auto temperature = [&](const SourceLocation& where, const std::string& what, double t) {
    if (t < kCold_k || t > kHot_k)
      warn(out, where,
           "implausible: " + what + " temperature " + kelvin(t) +
               "; a crewed cabin lies between -10 and 50 degC (a unit slip?)");
  };
  const double p = s.atmosphere.pressure_pa;
  if (p < 10e3 || p > 200e3)
    warn(out, s.where,
         "implausible: cabin pressure " + fixed(p / 1e3, 1) +
             " kPa; a crewed cabin lies between 10 and 200 kPa (a unit slip?)");
  temperature(s.where, "cabin", s.atmosphere.temperature_k);
  for (const Module& m : s.modules) {
    if (m.volume_m3 < 0.1 || m.volume_m3 > 5000.0)
      warn(out, m.where,
           "implausible: module '" + m.id + "' volume " + general(m.volume_m3) +
               " m^3; a pressurised module lies between 0.1 and 5000 m^3 (too small a volume "
               "makes the simulation stiff beyond solving)");
    if (m.temperature_k) temperature(m.where, "module '" + m.id + "'", *m.temperature_k);
  }
  for (const Hatch& h : s.hatches) {
    if (h.area_m2 > 7.1)  // a 3 m round opening
      warn(out, h.where,
           "implausible: hatch '" + h.id + "' area " + fixed(h.area_m2, 2) +
               " m^2; a hatch is under 3 m across (a unit slip?)");
    if (h.operateTime_s > 86400.0)
      warn(out, h.where,
           "implausible: hatch '" + h.id + "' takes " + fixed(h.operateTime_s / 3600.0, 1) +
               " h to operate; the planner would plan days around it (minutes are usual)");
  }
}

}  // namespace

std::vector<Diagnostic> lintPlausibility(const Station& s) {
  std::vector<Diagnostic> out;
  addImplausible(s, out);
  return out;
}

std::vector<Diagnostic> lintStation(const Station& s) {
  std::vector<Diagnostic> out;
  if (s.modules.empty()) return out;
  const SteadyAir air = steadyAir(s);
  lintCo2Paths(s, air, out);
  lintLifeSupport(s, air, out);
  lintSensors(s, out);
  addImplausible(s, out);
  return out;
}

}  // namespace leakhunt::model
