#include "network/segment_reduction.hpp"

#include <algorithm>
#include <cassert>

namespace leakhunt::network {

using gas::kSpeciesCount;

SegmentReduction::SegmentReduction(const GasNetwork& network)
    : m_network(network),
      m_moles(network.moduleCount()),
      m_temperature(network.moduleCount()),
      m_temperatureRate(network.moduleCount()),
      m_source(network.moduleCount()),
      m_net(network.moduleCount()) {
  assert(!network.adiabatic());
}

const Segmentation& SegmentReduction::segmentationAt(double t) {
  const auto& hatches = m_network.inputs().hatches;
  bool changed = m_openKey.size() != hatches.size();
  if (changed) m_openKey.assign(hatches.size(), 2);
  for (std::size_t h = 0; h < hatches.size(); ++h) {
    const char open = hatches[h].openAt(t) ? 1 : 0;
    if (open != m_openKey[h]) changed = true;
    m_openKey[h] = open;
  }
  if (changed) {
    std::vector<Edge> edges;
    for (std::size_t h = 0; h < hatches.size(); ++h)
      edges.push_back(m_openKey[h] ? Edge{hatches[h].moduleA, hatches[h].moduleB} : Edge{-1, -1});
    // Closed hatches stay in the list as self-free placeholders so edge indices are hatch indices.
    std::vector<Edge> open;
    std::vector<int> hatchOfEdge;
    for (std::size_t h = 0; h < edges.size(); ++h)
      if (edges[h].a >= 0) {
        open.push_back(edges[h]);
        hatchOfEdge.push_back(static_cast<int>(h));
      }
    m_segments = segmentsOf(m_network.moduleCount(), open);
    for (int& e : m_segments.parentEdge)
      if (e >= 0) e = hatchOfEdge[static_cast<std::size_t>(e)];
  }
  return m_segments;
}

void SegmentReduction::rhs(double t, std::span<const double> y, std::span<double> ydot) {
  m_network.rhsWithoutHatchFlow(t, y, ydot);
  const Segmentation& seg = segmentationAt(t);
  const std::size_t n = m_network.moduleCount();
  const std::size_t k = m_network.stride();
  const auto& geometry = m_network.modules();
  const auto& thermal = m_network.inputs().thermal;
  const auto& states = m_network.lastModuleStates();
  for (std::size_t i = 0; i < n; ++i) {
    double moles = 0.0, source = 0.0;
    for (std::size_t s = 0; s < kSpeciesCount; ++s) {
      moles += std::max(y[i * k + s], 0.0) / gas::kSpecies[s].molarMass_kg_mol;
      source += ydot[i * k + s] / gas::kSpecies[s].molarMass_kg_mol;
    }
    m_moles[i] = moles;
    m_source[i] = source;
    m_temperature[i] = states[i].temperature_k;
    m_temperatureRate[i] = thermal[i].gasRate(t);
  }
  // One pressure per segment: n_i = p V_i / (R T_i), so sum_i dn_i/dt = sum_i S_i fixes dp/dt,
  // and each module's net molar inflow through hatches is what keeps it on that pressure.
  const double ru = gas::kUniversalGasConstant;
  for (const std::vector<int>& members : seg.members) {
    double moles = 0.0, capacity = 0.0, thermalTerm = 0.0, source = 0.0;
    for (int m : members) {
      const auto i = static_cast<std::size_t>(m);
      const double v = geometry[i].volume_m3, temp = m_temperature[i];
      moles += m_moles[i];
      capacity += v / (ru * temp);
      thermalTerm += v * m_temperatureRate[i] / (ru * temp * temp);
      source += m_source[i];
    }
    const double p = moles / capacity;
    const double pRate = (source + p * thermalTerm) / capacity;
    for (int m : members) {
      const auto i = static_cast<std::size_t>(m);
      const double v = geometry[i].volume_m3, temp = m_temperature[i];
      const double wanted = v / ru * (pRate / temp - p * m_temperatureRate[i] / (temp * temp));
      m_net[i] = wanted - m_source[i];
    }
  }
  // Route the net inflows over each segment's spanning tree, leaves first: the flow from a
  // parent into a child is everything the child's subtree needs.
  for (auto it = seg.order.rbegin(); it != seg.order.rend(); ++it) {
    const auto child = static_cast<std::size_t>(*it);
    const int parentModule = seg.parent[child];
    if (parentModule < 0) continue;
    const auto parent = static_cast<std::size_t>(parentModule);
    const double q = m_net[child];  // [mol/s] parent -> child
    m_net[parent] += q;
    const std::size_t up = q > 0.0 ? parent : child;
    if (m_moles[up] <= 0.0) continue;
    for (std::size_t s = 0; s < kSpeciesCount; ++s) {
      const double x =
          std::max(y[up * k + s], 0.0) / gas::kSpecies[s].molarMass_kg_mol / m_moles[up];
      const double f = q * x * gas::kSpecies[s].molarMass_kg_mol;
      ydot[child * k + s] += f;
      ydot[parent * k + s] -= f;
    }
  }
}

void SegmentReduction::equalise(double t, std::span<double> y) {
  const Segmentation& seg = segmentationAt(t);
  const std::size_t k = m_network.stride();
  const auto& geometry = m_network.modules();
  const double ru = gas::kUniversalGasConstant;
  for (const std::vector<int>& members : seg.members) {
    if (members.size() < 2) continue;
    double moles = 0.0, capacity = 0.0;
    for (int m : members) {
      const auto i = static_cast<std::size_t>(m);
      double n = 0.0;
      for (std::size_t s = 0; s < kSpeciesCount; ++s)
        n += y[i * k + s] / gas::kSpecies[s].molarMass_kg_mol;
      m_moles[i] = n;
      moles += n;
      capacity += geometry[i].volume_m3 / (ru * m_network.inputs().thermal[i].gas(t));
    }
    const double p = moles / capacity;
    gas::SpeciesMasses pool{};
    double poolMoles = 0.0;
    for (int m : members) {
      const auto i = static_cast<std::size_t>(m);
      const double target = p * geometry[i].volume_m3 / (ru * m_network.inputs().thermal[i].gas(t));
      if (m_moles[i] <= target) continue;
      const double give = (m_moles[i] - target) / m_moles[i];
      for (std::size_t s = 0; s < kSpeciesCount; ++s) {
        pool[s] += y[i * k + s] * give;
        y[i * k + s] -= y[i * k + s] * give;
      }
      poolMoles += m_moles[i] - target;
    }
    if (poolMoles <= 0.0) continue;
    for (int m : members) {
      const auto i = static_cast<std::size_t>(m);
      const double target = p * geometry[i].volume_m3 / (ru * m_network.inputs().thermal[i].gas(t));
      if (m_moles[i] >= target) continue;
      const double take = (target - m_moles[i]) / poolMoles;
      for (std::size_t s = 0; s < kSpeciesCount; ++s) y[i * k + s] += pool[s] * take;
    }
  }
}

}  // namespace leakhunt::network
