#include "network/segment_reduction.hpp"

#include <algorithm>
#include <cassert>

#include "gas/orifice.hpp"

namespace leakhunt::network {

using gas::kSpeciesCount;

SegmentReduction::SegmentReduction(const GasNetwork& network)
    : m_network(network),
      m_moles(network.moduleCount()),
      m_temperature(network.moduleCount()),
      m_temperatureRate(network.moduleCount()),
      m_source(network.moduleCount()),
      m_net(network.moduleCount()),
      m_treeMassFlow(network.moduleCount()),
      m_scratch(network.stateSize()) {
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
    // Segments know edges by their place in the open list; map them back to hatch indices.
    std::vector<Edge> open;
    std::vector<int> hatchOfEdge;
    for (std::size_t h = 0; h < hatches.size(); ++h) {
      if (!m_openKey[h]) continue;
      open.push_back({hatches[h].moduleA, hatches[h].moduleB});
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
  const auto& states = m_network.lastModuleStates();
  const auto& rates = m_network.lastTemperatureRates();
  for (std::size_t i = 0; i < n; ++i) {
    double moles = 0.0, source = 0.0;
    for (std::size_t s = 0; s < kSpeciesCount; ++s) {
      moles += std::max(y[i * k + s], 0.0) / gas::kSpecies[s].molarMass_kg_mol;
      source += ydot[i * k + s] / gas::kSpecies[s].molarMass_kg_mol;
    }
    m_moles[i] = moles;
    m_source[i] = source;
    m_temperature[i] = states[i].temperature_k;
    m_temperatureRate[i] = rates[i];
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
    m_treeMassFlow[child] = 0.0;
    const std::size_t up = q > 0.0 ? parent : child;
    if (m_moles[up] <= 0.0) continue;
    for (std::size_t s = 0; s < kSpeciesCount; ++s) {
      const double x =
          std::max(y[up * k + s], 0.0) / gas::kSpecies[s].molarMass_kg_mol / m_moles[up];
      const double f = q * x * gas::kSpecies[s].molarMass_kg_mol;
      ydot[child * k + s] += f;
      ydot[parent * k + s] -= f;
      m_treeMassFlow[child] += f;
    }
  }
}

void SegmentReduction::pressureOffsets(double t, std::span<const double> y,
                                       std::span<double> offsets_pa) {
  rhs(t, y, m_scratch);
  const Segmentation& seg = m_segments;
  const auto& states = m_network.lastModuleStates();
  const auto& geometry = m_network.modules();
  const auto& hatches = m_network.inputs().hatches;
  for (int m : seg.order) {  // parents before children
    const auto i = static_cast<std::size_t>(m);
    const int parent = seg.parent[i];
    if (parent < 0) {
      offsets_pa[i] = 0.0;
      continue;
    }
    const double flow = m_treeMassFlow[i];
    const auto up = flow > 0.0 ? static_cast<std::size_t>(parent) : i;
    const double density = states[up].mass_kg / geometry[up].volume_m3;
    const double cda = hatches[static_cast<std::size_t>(seg.parentEdge[i])].cda_m2;
    offsets_pa[i] =
        offsets_pa[static_cast<std::size_t>(parent)] -
        gas::orificePressureDrop(cda, density, flow, GasNetwork::kHatchRegularisation_pa);
  }
  for (const std::vector<int>& members : seg.members) {
    double weighted = 0.0, capacity = 0.0;
    for (int m : members) {
      const auto i = static_cast<std::size_t>(m);
      const double c = geometry[i].volume_m3 / states[i].temperature_k;
      weighted += offsets_pa[i] * c;
      capacity += c;
    }
    for (int m : members) offsets_pa[static_cast<std::size_t>(m)] -= weighted / capacity;
  }
}

void SegmentReduction::equalise(double t, std::span<double> y) {
  // The gas moves over the segment's tree as it would through the hatches: in small parts,
  // each carrying the composition of the module it leaves, so a receiver next to a donor takes
  // the donor's gas and a far one takes what its neighbours held (displacement), as the full
  // network's opening transient does.
  constexpr int kParts = 64;
  const Segmentation& seg = segmentationAt(t);
  const std::size_t k = m_network.stride();
  const auto& geometry = m_network.modules();
  const auto& thermal = m_network.inputs().thermal;
  const double ru = gas::kUniversalGasConstant;
  const auto molesOf = [&](std::size_t i) {
    double n = 0.0;
    for (std::size_t s = 0; s < kSpeciesCount; ++s)
      n += y[i * k + s] / gas::kSpecies[s].molarMass_kg_mol;
    return n;
  };
  for (const std::vector<int>& members : seg.members) {
    if (members.size() < 2) continue;
    double moles = 0.0, capacity = 0.0;
    for (int m : members) {
      const auto i = static_cast<std::size_t>(m);
      moles += molesOf(i);
      capacity += geometry[i].volume_m3 / (ru * thermal[i].gas(t));
    }
    const double p = moles / capacity;
    for (int m : members) {
      const auto i = static_cast<std::size_t>(m);
      m_source[i] = (p * geometry[i].volume_m3 / (ru * thermal[i].gas(t)) - molesOf(i)) / kParts;
    }
  }
  for (int part = 0; part < kParts; ++part) {
    for (std::size_t i = 0; i < m_net.size(); ++i) {
      m_net[i] = m_source[i];
      m_moles[i] = molesOf(i);
    }
    std::copy(y.begin(), y.end(), m_scratch.begin());  // compositions at the start of the part
    for (auto it = seg.order.rbegin(); it != seg.order.rend(); ++it) {
      const auto child = static_cast<std::size_t>(*it);
      if (seg.parent[child] < 0 ||
          seg.members[static_cast<std::size_t>(seg.segmentOf[child])].size() < 2)
        continue;
      const auto parent = static_cast<std::size_t>(seg.parent[child]);
      const double q = m_net[child];  // [mol] parent -> child in this part
      m_net[parent] += q;
      const std::size_t up = q > 0.0 ? parent : child;
      if (m_moles[up] <= 0.0) continue;
      for (std::size_t s = 0; s < kSpeciesCount; ++s) {
        const double moved = q * m_scratch[up * k + s] / m_moles[up];
        y[child * k + s] += moved;
        y[parent * k + s] -= moved;
      }
    }
  }
}

}  // namespace leakhunt::network
