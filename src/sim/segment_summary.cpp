#include "sim/segment_summary.hpp"

#include <algorithm>

#include "network/segments.hpp"

namespace leakhunt::sim {

namespace {

std::vector<network::Edge> openEdgesAt(const network::NetworkInputs& in, double t) {
  std::vector<network::Edge> edges;
  for (const network::HatchInput& h : in.hatches)
    if (h.openAt(t)) edges.push_back({h.moduleA, h.moduleB});
  return edges;
}

double segmentPressure(const network::GasNetwork& net, std::span<const double> y, double t,
                       const std::vector<int>& members) {
  double weighted = 0.0, volume = 0.0;
  for (int m : members) {
    const auto i = static_cast<std::size_t>(m);
    weighted += net.moduleState(t, y, i).pressure_pa * net.modules()[i].volume_m3;
    volume += net.modules()[i].volume_m3;
  }
  return weighted / volume;
}

double segmentMass(const network::GasNetwork& net, std::span<const double> y, double t,
                   const std::vector<int>& members) {
  double mass = 0.0;
  for (int m : members) mass += net.moduleState(t, y, static_cast<std::size_t>(m)).mass_kg;
  return mass;
}

}  // namespace

std::vector<SegmentSummary> summariseSegments(const network::GasNetwork& net,
                                              const model::Station& st,
                                              std::span<const double> yLastHour, double lastHour_s,
                                              std::span<const double> y, double end_s) {
  std::vector<SegmentSummary> out;
  const network::Segmentation seg =
      network::segmentsOf(net.moduleCount(), openEdgesAt(net.inputs(), end_s));
  const double window = end_s - lastHour_s;
  const double limit =
      st.limits ? st.limits->evacuationPressure_pa : model::Limits{}.evacuationPressure_pa;
  for (const std::vector<int>& members : seg.members) {
    SegmentSummary s;
    for (int m : members) s.modules.push_back(st.modules[static_cast<std::size_t>(m)].id);
    // A segment emptied to vacuum may end a hair below zero (the integrator overshoots the
    // decay): it holds nothing.
    s.pressureStart_pa = std::max(0.0, segmentPressure(net, yLastHour, lastHour_s, members));
    s.pressureEnd_pa = std::max(0.0, segmentPressure(net, y, end_s, members));
    // The rate of the gas inventory, not of the pressure: an hour of pressure is mostly the
    // orbital temperature cycle. An emptied segment has no inventory to scale by (0/0 printed
    // "-nan mmHg/h"): its pressure fell by what it held.
    const double massStart = segmentMass(net, yLastHour, lastHour_s, members);
    const double massEnd = segmentMass(net, y, end_s, members);
    if (window <= 0.0)
      s.dropRate_pa_s = 0.0;
    else if (massEnd > 1e-9 * std::max(massStart, 0.0) && s.pressureEnd_pa > 0.0)
      s.dropRate_pa_s = (massStart - massEnd) / window / massEnd * s.pressureEnd_pa;
    else
      s.dropRate_pa_s = (s.pressureStart_pa - s.pressureEnd_pa) / window;
    // 0 when the segment is already below the limit, falling or not: an emptied segment whose
    // last hour was all vacuum read "not falling" (the isothermal 20 cm hole).
    if (s.pressureEnd_pa <= limit)
      s.timeToEvacuation_s = 0.0;
    else if (s.dropRate_pa_s > 0.0)
      s.timeToEvacuation_s = (s.pressureEnd_pa - limit) / s.dropRate_pa_s;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace leakhunt::sim
