#include "sim/summary_json.hpp"

namespace leakhunt::sim {

using Json = nlohmann::ordered_json;

Json segmentSummaryJson(const SegmentSummary& s) {
  return {{"modules", s.modules},
          {"pressure_start_pa", s.pressureStart_pa},
          {"pressure_end_pa", s.pressureEnd_pa},
          {"drop_rate_pa_s", s.dropRate_pa_s},
          {"time_to_evacuation_s",
           s.timeToEvacuation_s >= 0.0 ? Json(s.timeToEvacuation_s) : Json(nullptr)}};
}

Json habitabilityJson(const ModuleHabitability& m) {
  return {{"module", m.module},
          {"min_pressure_pa", m.minPressure_pa},
          {"min_ppo2_pa", m.minPpO2_pa},
          {"max_ppo2_pa", m.maxPpO2_pa},
          {"max_ppco2_pa", m.maxPpCo2_pa},
          {"min_humidity", m.minHumidity},
          {"max_humidity", m.maxHumidity},
          {"below_evacuation_s", m.belowEvacuation_s},
          {"outside_ppo2_band_s", m.outsidePpO2Band_s},
          {"over_ppco2_s", m.overPpCo2_s},
          {"outside_humidity_band_s", m.outsideHumidityBand_s}};
}

}  // namespace leakhunt::sim
