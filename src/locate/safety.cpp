#include "locate/safety.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace leakhunt::locate {

CrewPlaces declaredCrewPlaces(const model::Station& station) {
  CrewPlaces places;
  for (const model::CrewMember& c : station.crew) places.push_back(station.moduleIndex(c.location));
  return places;
}

double pressureAfter(double pressure_pa, double inventory_kg, double rate_kg_s, double t_s) {
  if (inventory_kg <= 0.0) return 0.0;
  return pressure_pa * std::exp(-rate_kg_s * t_s / inventory_kg);
}

SafetyIndex::SafetyIndex(const model::Station& st, const CrewPlaces& crew)
    : lifeboatModules(crew.size()) {
  for (std::size_t c = 0; c < crew.size() && c < st.crew.size(); ++c)
    for (std::size_t k = 0; k < st.modules.size(); ++k)
      if (st.modules[k].vehicle == st.crew[c].lifeboat)
        lifeboatModules[c].push_back(static_cast<int>(k));
}

namespace {

// What the rules ask of each segment: its air, the chance the leak is in it, its lowest
// pressure now, its life support, and its lowest module (to name it). Summed over the modules
// in ascending order, as the segment's member list runs, so every figure is the same to the bit
// however the segments were found.
struct SegmentLoad {
  double mass_kg = 0.0, chance = 0.0, pressure_pa = 0.0;
  bool o2 = false, co2 = false, crewed = false;
  int first = -1;
};

std::vector<SegmentLoad> loadsOf(const SafetyQuery& q, const std::vector<int>& segmentOf,
                                 int segments) {
  const StationFacts& f = *q.facts;
  std::vector<SegmentLoad> load(static_cast<std::size_t>(segments));
  for (SegmentLoad& l : load) l.pressure_pa = f.pressure_pa;
  for (std::size_t k = 0; k < segmentOf.size(); ++k) {
    SegmentLoad& l = load[static_cast<std::size_t>(segmentOf[k])];
    if (l.first < 0) l.first = static_cast<int>(k);
    if (q.pressure_pa != nullptr) l.pressure_pa = std::min(l.pressure_pa, (*q.pressure_pa)[k]);
    l.mass_kg += f.inventory_kg[k];
    l.chance += (*q.leakProbability)[k];
    l.o2 = l.o2 || f.hasO2Generation[k];
    l.co2 = l.co2 || f.hasCo2Removal[k];
  }
  for (int place : *q.crew)
    if (place >= 0)
      load[static_cast<std::size_t>(segmentOf[static_cast<std::size_t>(place)])].crewed = true;
  return load;
}

// Every rule on the labelled configuration; the broken ones in words into `out`, or, with no
// `out`, false at the first broken one.
bool check(const SafetyQuery& q, const HatchSet& open, const std::vector<int>& segmentOf,
           const std::vector<SegmentLoad>& load, double hold_s, std::vector<std::string>* out) {
  const model::Station& st = *q.station;
  const StationFacts& f = *q.facts;
  bool safe = true;
  const auto broken = [&](const auto& words) {
    safe = false;
    if (out != nullptr) out->push_back(words());
    return out == nullptr;  // stop
  };
  for (std::size_t h = 0; h < st.hatches.size(); ++h)
    if (!st.hatches[h].closable && open[h] != st.hatches[h].open && broken([&] {
          return "hatch " + st.hatches[h].id + " cannot be " + (open[h] ? "opened" : "closed") +
                 " quickly";
        }))
      return false;
  for (std::size_t c = 0; c < st.crew.size(); ++c) {
    const model::CrewMember& who = st.crew[c];
    const int place = (*q.crew)[c];
    if (place < 0) {
      if (broken([&] { return "crew " + who.id + " is in no known module"; })) return false;
      continue;
    }
    const int s = segmentOf[static_cast<std::size_t>(place)];
    bool lifeboat = false;
    if (q.index != nullptr) {
      for (int k : q.index->lifeboatModules[c])
        lifeboat = lifeboat || segmentOf[static_cast<std::size_t>(k)] == s;
    } else {
      for (std::size_t k = 0; k < st.modules.size() && !lifeboat; ++k)
        lifeboat = segmentOf[k] == s && st.modules[k].vehicle == who.lifeboat;
    }
    const SegmentLoad& l = load[static_cast<std::size_t>(s)];
    const std::string& at = st.modules[static_cast<std::size_t>(place)].id;
    if (!lifeboat && broken([&] {
          return "crew " + who.id + " in " + at + " would be cut off from lifeboat " + who.lifeboat;
        }))
      return false;
    const bool insideLifeboat = st.modules[static_cast<std::size_t>(place)].vehicle == who.lifeboat;
    if (!insideLifeboat && !(l.o2 && l.co2) && broken([&] {
          return "crew " + who.id + " in " + at + " would have no " +
                 (l.o2 ? "CO2 removal" : "O2 generation");
        }))
      return false;
  }
  for (const SegmentLoad& l : load) {
    if (!l.crewed || l.chance <= 0.0) continue;
    // Inventory and a choked leak's rate both scale with the pressure: the decay rate
    // L/M is the declared one, so only the starting pressure changes.
    const double p = pressureAfter(l.pressure_pa, l.mass_kg, q.leakRateUpper_kg_s, hold_s);
    if (p < f.evacuation_pa + q.rules.pressureMargin_pa && broken([&] {
          return "a crewed segment holding " + st.modules[static_cast<std::size_t>(l.first)].id +
                 " could fall to " + std::to_string(static_cast<int>(p / 133.322387415)) +
                 " mmHg, below the evacuation limit plus margin";
        }))
      return false;
  }
  return safe;
}

Segments split(const SafetyQuery& q, const HatchSet& open) {
  return q.graph != nullptr ? segmentsOf(*q.graph, open) : segmentsOf(*q.station, open);
}

}  // namespace

std::vector<std::string> violations(const SafetyQuery& q, const HatchSet& open, double hold_s) {
  const Segments seg = split(q, open);
  const int count = static_cast<int>(seg.members.size());
  std::vector<std::string> out;
  check(q, open, seg.segmentOf, loadsOf(q, seg.segmentOf, count), hold_s, &out);
  return out;
}

double longestSafeHold(const SafetyQuery& q, const HatchSet& open,
                       const std::vector<int>& segmentOf, int segments) {
  const std::vector<SegmentLoad> load = loadsOf(q, segmentOf, segments);
  if (!check(q, open, segmentOf, load, 0.0, nullptr)) return 0.0;
  const double limit = q.facts->evacuation_pa + q.rules.pressureMargin_pa;
  double hold = std::numeric_limits<double>::infinity();
  for (const SegmentLoad& l : load) {
    if (!l.crewed || l.chance <= 0.0 || q.leakRateUpper_kg_s <= 0.0) continue;
    // p(t) = p0 exp(-L t / M) reaches the limit at t = M / L ln(p0 / limit).
    hold = std::min(hold, l.mass_kg / q.leakRateUpper_kg_s * std::log(l.pressure_pa / limit));
  }
  return std::max(0.0, hold);
}

double longestSafeHold(const SafetyQuery& q, const HatchSet& open) {
  const Segments seg = split(q, open);
  return longestSafeHold(q, open, seg.segmentOf, static_cast<int>(seg.members.size()));
}

}  // namespace leakhunt::locate
