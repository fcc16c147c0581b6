// The segment reduction of physics.md section 3: modules joined by open hatches are held at one
// pressure, and the flow through those hatches is whatever keeps them there (the limit of large
// hatches). Species masses stay per module, so composition still moves with the flow. Only the
// isothermal model is reduced; the energy equation needs the full network.
#pragma once

#include <span>
#include <vector>

#include "network/gas_network.hpp"
#include "network/segments.hpp"

namespace leakhunt::network {

class SegmentReduction {
 public:
  explicit SegmentReduction(const GasNetwork& network);

  void rhs(double t, std::span<const double> y, std::span<double> ydot);

  // Instant equalisation when hatches open: move gas so that every segment at time t is at one
  // pressure, conserving each species. Donors give their own gas; receivers take the donors' mix.
  void equalise(double t, std::span<double> y);

  const Segmentation& segmentationAt(double t);

  // The first correction to "one pressure per segment": the pressure difference each hatch
  // needs to carry the flow routed through it, by the same hatch law as the full network.
  // Offsets [Pa] per module, zero mean over each segment's gas, so no gas is created.
  void pressureOffsets(double t, std::span<const double> y, std::span<double> offsets_pa);

 private:
  const GasNetwork& m_network;
  std::vector<char> m_openKey;
  Segmentation m_segments;
  // Scratch, sized once.
  std::vector<double> m_moles, m_temperature, m_temperatureRate, m_source, m_net;
  std::vector<double> m_treeMassFlow;  // [kg/s] parent -> child, per child, from the last rhs
  std::vector<double> m_scratch;
};

}  // namespace leakhunt::network
