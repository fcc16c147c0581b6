#include "sim/habitability.hpp"

#include <algorithm>
#include <array>

#include "gas/humidity.hpp"

namespace leakhunt::sim {

HabitabilityWatch::HabitabilityWatch(const model::Station& station,
                                     const telemetry::ChannelTable& truth)
    : m_limits(station.limits.value_or(model::Limits{})) {
  const std::size_t n = station.modules.size();
  m_modules.resize(n);
  m_temperature_k.assign(n, station.atmosphere.temperature_k);
  m_last.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& id = station.modules[i].id;
    m_modules[i].module = id;
    const std::array<std::pair<const char*, Quantity>, 5> kinds{
        {{".pressure", Quantity::Pressure},
         {".temperature", Quantity::Temperature},
         {".ppO2", Quantity::PpO2},
         {".ppCO2", Quantity::PpCo2},
         {".ppH2O", Quantity::PpH2o}}};
    for (const auto& [suffix, q] : kinds) {
      const int c = truth.find(id + suffix);
      if (c < 0) continue;
      if (static_cast<std::size_t>(c) >= m_channels.size())
        m_channels.resize(static_cast<std::size_t>(c) + 1);
      m_channels[static_cast<std::size_t>(c)] = {static_cast<int>(i), q};
    }
  }
}

// The value at `last` held until `t`: its time outside counts if it was outside.
void HabitabilityWatch::account(Last& last, double t, bool outside, double& total) {
  if (last.seen && last.outside) total += t - last.time_s;
  last = {t, outside, true};
}

void HabitabilityWatch::onTruth(const telemetry::Sample& s) {
  if (s.channel < 0 || static_cast<std::size_t>(s.channel) >= m_channels.size()) return;
  const Channel& c = m_channels[static_cast<std::size_t>(s.channel)];
  if (c.module < 0) return;
  const auto i = static_cast<std::size_t>(c.module);
  m_latest_s = s.time_s;
  ModuleHabitability& m = m_modules[i];
  std::array<Last, 4>& last = m_last[i];
  switch (c.quantity) {
    case Quantity::Temperature:
      m_temperature_k[i] = s.value;
      return;  // temperature alone is no habitability limit here
    case Quantity::Pressure:
      m.minPressure_pa = last[0].seen ? std::min(m.minPressure_pa, s.value) : s.value;
      account(last[0], s.time_s, s.value < m_limits.evacuationPressure_pa, m.belowEvacuation_s);
      break;
    case Quantity::PpO2:
      if (!last[1].seen) m.minPpO2_pa = m.maxPpO2_pa = s.value;
      m.minPpO2_pa = std::min(m.minPpO2_pa, s.value);
      m.maxPpO2_pa = std::max(m.maxPpO2_pa, s.value);
      account(last[1], s.time_s,
              s.value < m_limits.nominalPpO2Low_pa || s.value > m_limits.nominalPpO2High_pa,
              m.outsidePpO2Band_s);
      break;
    case Quantity::PpCo2:
      m.maxPpCo2_pa = last[2].seen ? std::max(m.maxPpCo2_pa, s.value) : s.value;
      account(last[2], s.time_s, s.value > m_limits.maxPpCo2_pa, m.overPpCo2_s);
      break;
    case Quantity::PpH2o: {
      const double rh = s.value / gas::saturationPressure(m_temperature_k[i]);
      if (!last[3].seen) m.minHumidity = m.maxHumidity = rh;
      m.minHumidity = std::min(m.minHumidity, rh);
      m.maxHumidity = std::max(m.maxHumidity, rh);
      account(last[3], s.time_s, rh < m_limits.minHumidity || rh > m_limits.maxHumidity,
              m.outsideHumidityBand_s);
      break;
    }
  }
  m.seen = true;
}

}  // namespace leakhunt::sim
