#include "locate/planner.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace leakhunt::locate {
namespace {

double binaryEntropy(double q) {
  if (q <= 0.0 || q >= 1.0) return 0.0;
  return -(q * std::log2(q) + (1.0 - q) * std::log2(1.0 - q));
}

// Probability that a reading of the true `rate` against `sigma` is called wrongly, with the
// call made at half the expected rate.
double misreadProbability(double rate, double sigma) {
  if (!std::isfinite(sigma)) return 0.5;
  return 0.5 * std::erfc(rate / (2.0 * sigma) / std::sqrt(2.0));
}

struct Candidate {
  HatchSet open;
  bool splits = false;  // parts the suspected modules into two segments or more
  bool valid = false;
  double score = -1.0;  // bits per second
  // Halving's measure, set for a valid candidate under Strategy::HalvingByVolume: the largest
  // share of the candidates' volume left in one segment (it wants it near 1/2).
  double volumeShare = 1.0;
  PlannedTest test;  // without `segments` unless asked for (a thousand modules each)
  // Where the search found it: hatches that differ from the declared set (ascending) and how
  // many closable hatches it holds closed.
  std::vector<int> differs;
  int closed = 0;
};

// `differs` with hatch h flipped.
std::vector<int> toggled(std::vector<int> differs, int h) {
  const auto at = std::lower_bound(differs.begin(), differs.end(), h);
  if (at != differs.end() && *at == h)
    differs.erase(at);
  else
    differs.insert(at, h);
  return differs;
}

class Search {
 public:
  Search(const PlanState& s, const Belief& b, const PlannerOptions& o)
      : m_s(s), m_o(o), m_station(*s.station), m_graph(*s.station), m_index(*s.station, s.crew) {
    m_mass = b.moduleMarginal();
    double total = 0.0;
    for (double m : m_mass) total += m;
    if (total > 0.0)
      for (double& m : m_mass) m /= total;
    m_safety.station = s.station;
    m_safety.facts = s.facts;
    m_safety.crew = &m_s.crew;
    m_safety.leakProbability = &m_mass;
    m_safety.leakRateUpper_kg_s = s.rate.mean_kg_s + 2.0 * s.rate.sigma_kg_s;
    m_safety.rules = o.rules;
    m_safety.graph = &m_graph;
    m_safety.index = &m_index;
    m_declared = declaredHatches(m_station);
    if (!s.pressure_pa.empty()) m_safety.pressure_pa = &s.pressure_pa;
    for (std::size_t h = 0; h < m_station.hatches.size(); ++h)
      if (m_station.hatches[h].closable && m_station.hatches[h].open)
        m_closable.push_back(static_cast<int>(h));
  }

  // The configuration's best (dwell, score). Linear in modules and hatches, with the sums over
  // a segment's modules taken once per configuration, not once per dwell: a step on a large
  // station evaluates some hundred thousand configurations. `withSegments` fills the test's
  // member lists, which only the chosen test needs.
  Candidate evaluate(const HatchSet& open, bool withSegments = false) const {
    Candidate c;
    c.open = open;
    const int count = labelSegments(m_graph, open, &m_segmentOf, &m_scratch);
    const auto segmentOf = [&](std::size_t m) { return static_cast<std::size_t>(m_segmentOf[m]); };
    std::vector<double> mass(static_cast<std::size_t>(count), 0.0);
    std::vector<int> crew(static_cast<std::size_t>(count), 0);
    for (std::size_t m = 0; m < m_mass.size(); ++m) mass[segmentOf(m)] += m_mass[m];
    for (int place : m_s.crew)
      if (place >= 0) ++crew[segmentOf(static_cast<std::size_t>(place))];
    PlannedTest& t = c.test;
    std::vector<int> withMass;
    // Each segment's place in withMass; -1 for a segment without candidate mass.
    std::vector<int> position(static_cast<std::size_t>(count), -1);
    for (std::size_t g = 0; g < mass.size(); ++g)
      if (mass[g] > 1e-12) {
        position[g] = static_cast<int>(withMass.size());
        withMass.push_back(static_cast<int>(g));
        t.segmentMass.push_back(mass[g]);
      }
    const auto positionOf = [&](std::size_t m) { return position[segmentOf(m)]; };
    if (withSegments) {
      t.segments.resize(withMass.size());
      for (std::size_t m = 0; m < m_segmentOf.size(); ++m)
        if (positionOf(m) >= 0)
          t.segments[static_cast<std::size_t>(positionOf(m))].push_back(static_cast<int>(m));
    }
    if (withMass.size() < 2) return c;
    c.splits = true;
    t.open = open;
    t.changes = changesBetween(m_s.current, open);
    std::stable_sort(t.changes.begin(), t.changes.end(),
                     [](const HatchChange& a, const HatchChange& b) { return !a.open && b.open; });
    t.switch_s = switchTime(m_station, m_s.current, open, m_o.rules);
    const double reopen = switchTime(m_station, open, m_declared, m_o.rules);
    const double safeHold = longestSafeHold(m_safety, open, m_segmentOf, count);
    // No dwell fits: the loop below would stop at its first.
    if (m_o.dwells_s.empty() || t.switch_s + kSettle_s + m_o.dwells_s.front() + reopen > safeHold)
      return c;
    // Each segment's noise terms, summed once for every dwell tried.
    std::vector<detect::SegmentNoiseSums> noise(withMass.size());
    for (std::size_t m = 0; m < m_segmentOf.size(); ++m)
      if (positionOf(m) >= 0)
        noise[static_cast<std::size_t>(positionOf(m))].add(m_s.facts->noise[m]);
    std::vector<double> error(withMass.size()), sigma(withMass.size());
    const bool extending = t.changes.empty() && m_s.heldFor_s > 0.0;
    const auto information = [&](double dwell) {
      for (std::size_t i = 0; i < withMass.size(); ++i) {
        const auto g = static_cast<std::size_t>(withMass[i]);
        sigma[i] = readingSigma(*m_s.facts, noise[i], crew[g], dwell, m_o.noise);
        error[i] = misreadProbability(m_s.rate.mean_kg_s, sigma[i]);
      }
      return outcomeInformation(t.segmentMass, error);
    };
    const double already = extending ? information(m_s.heldFor_s) : 0.0;
    for (double dwell : m_o.dwells_s) {
      const double hold = t.switch_s + kSettle_s + dwell + reopen;
      if (hold > safeHold) break;
      const double bits = information(dwell + (extending ? m_s.heldFor_s : 0.0)) - already;
      const double score = bits / (t.switch_s + (extending ? 0.0 : kSettle_s) + dwell);
      if (bits >= m_o.minBits && score > c.score) {
        c.valid = true;
        c.score = score;
        t.dwell_s = dwell;
        t.expectedBits = bits;
        t.readingSigma_kg_s = sigma;
      }
    }
    if (c.valid && m_o.strategy == Strategy::HalvingByVolume) {
      // The candidates' volume per segment, summed in ascending module order.
      std::vector<double> volume(withMass.size(), 0.0);
      for (std::size_t m = 0; m < m_segmentOf.size(); ++m)
        if (positionOf(m) >= 0 && m_mass[m] > 1e-6)
          volume[static_cast<std::size_t>(positionOf(m))] += m_s.facts->volume_m3[m];
      double total = 0.0, largest = 0.0;
      for (double v : volume) {
        total += v;
        largest = std::max(largest, v);
      }
      c.volumeShare = total > 0.0 ? largest / total : 1.0;
    }
    return c;
  }

  // Beam search over closed-hatch sets, seeded with the current configuration and its
  // neighbours so that a plan can keep hatches closed between steps. A configuration that does
  // not yet split the suspects is kept to close more from: where modules form a loop (two
  // hatches between the same modules, a triangle), one closed hatch parts nothing and only a
  // second one does (issue 21, item 5). Every valid candidate goes to `take` in the order
  // found, and none is kept beyond its beam, so memory stays that of the beam.
  template <class Take>
  void candidates(Take&& take) const {
    // Configurations met, by the hatches that differ from the declared set: a handful of
    // numbers where the configuration holds a bit per hatch.
    std::set<std::vector<int>> seen;
    // `level`: valid candidates to close more from; `unsplit`: configurations that part nothing
    // yet, to close more from too.
    const auto consider = [&](const HatchSet& open, std::vector<int> differs, int closed,
                              std::vector<Candidate>* level, std::vector<Candidate>* unsplit) {
      if (!seen.insert(differs).second) return;
      Candidate c = evaluate(open);
      c.differs = std::move(differs);
      c.closed = closed;
      if (c.valid) {
        take(c);
        if (level != nullptr) level->push_back(std::move(c));
      } else if (!c.splits && unsplit != nullptr) {
        unsplit->push_back(std::move(c));
      }
    };
    std::vector<Candidate> level, unsplit;
    const HatchSet declared = declaredHatches(m_station);
    std::vector<HatchSet> seeds = {declared, m_s.current};
    for (const HatchSet& seed : seeds) {
      std::vector<int> differs;
      for (std::size_t h = 0; h < seed.size(); ++h)
        if (seed[h] != declared[h]) differs.push_back(static_cast<int>(h));
      const int closed = closedCount(seed);
      consider(seed, differs, closed, nullptr, nullptr);
      for (int h : m_closable) {
        HatchSet o = seed;
        o[static_cast<std::size_t>(h)] = !o[static_cast<std::size_t>(h)];
        const int n = closed + (o[static_cast<std::size_t>(h)] ? -1 : 1);
        if (n <= m_o.maxClosed) consider(o, toggled(differs, h), n, &level, &unsplit);
      }
    }
    for (int depth = 1; depth < m_o.maxClosed; ++depth) {
      std::sort(level.begin(), level.end(),
                [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
      if (static_cast<int>(level.size()) > m_o.beamWidth)
        level.resize(static_cast<std::size_t>(m_o.beamWidth));
      if (static_cast<int>(unsplit.size()) > m_o.beamWidth)
        unsplit.resize(static_cast<std::size_t>(m_o.beamWidth));
      std::vector<Candidate> next, nextUnsplit;
      for (const std::vector<Candidate>* from : {&level, &unsplit})
        for (const Candidate& base : *from)
          for (int h : m_closable) {
            if (!base.open[static_cast<std::size_t>(h)] || base.closed + 1 > m_o.maxClosed)
              continue;
            HatchSet o = base.open;
            o[static_cast<std::size_t>(h)] = false;
            consider(o, toggled(base.differs, h), base.closed + 1, &next, &nextUnsplit);
          }
      level = std::move(next);
      unsplit = std::move(nextUnsplit);
    }
  }

  int closedCount(const HatchSet& open) const {
    int n = 0;
    for (int h : m_closable) n += open[static_cast<std::size_t>(h)] ? 0 : 1;
    return n;
  }

  const std::vector<double>& mass() const { return m_mass; }
  const std::vector<int>& closable() const { return m_closable; }
  const HatchGraph& graph() const { return m_graph; }

 private:
  const PlanState& m_s;
  const PlannerOptions& m_o;
  const model::Station& m_station;
  std::vector<double> m_mass;
  HatchGraph m_graph;
  SafetyIndex m_index;
  SafetyQuery m_safety;
  std::vector<int> m_closable;
  HatchSet m_declared;
  // Scratch for evaluate, which runs on one thread: no allocation per configuration.
  mutable std::vector<int> m_segmentOf, m_scratch;
};

std::optional<Candidate> crewOrderChoice(const PlanState& s, const Search& search,
                                         const std::vector<double>& mass) {
  const model::Station& st = *s.station;
  const HatchSet declared = declaredHatches(st);
  std::vector<HatchSet> wanted;
  if (s.stepsDone == 0) {
    // 1. Every docked vehicle (lifeboats first) closed off from the station at once.
    HatchSet o = declared;
    for (int h : search.closable()) {
      const auto [a, b] = search.graph().ends[static_cast<std::size_t>(h)];
      if (st.modules[static_cast<std::size_t>(a)].vehicle !=
          st.modules[static_cast<std::size_t>(b)].vehicle)
        o[static_cast<std::size_t>(h)] = false;
    }
    wanted.push_back(o);
  }
  if (s.stepsDone <= 1) {
    // 2. The segment split: the one hatch that parts the candidates most evenly by count.
    std::vector<std::pair<double, int>> splits;
    for (int h : search.closable()) {
      HatchSet o = declared;
      o[static_cast<std::size_t>(h)] = false;
      const Segments seg = segmentsOf(search.graph(), o);
      std::vector<int> count(seg.members.size(), 0);
      int total = 0;
      for (std::size_t m = 0; m < mass.size(); ++m)
        if (mass[m] > 1e-6) {
          ++count[static_cast<std::size_t>(seg.segmentOf[m])];
          ++total;
        }
      const int largest = *std::max_element(count.begin(), count.end());
      splits.push_back({std::abs(largest - 0.5 * total), h});
    }
    std::sort(splits.begin(), splits.end());
    for (const auto& [unused, h] : splits) {
      HatchSet o = declared;
      o[static_cast<std::size_t>(h)] = false;
      wanted.push_back(o);
    }
  }
  // 3. Module by module, the likeliest first: all its hatches closed.
  std::vector<int> order;
  for (std::size_t m = 0; m < mass.size(); ++m)
    if (mass[m] > 1e-6) order.push_back(static_cast<int>(m));
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return mass[static_cast<std::size_t>(a)] > mass[static_cast<std::size_t>(b)];
  });
  for (int m : order) {
    HatchSet o = declared;
    for (int h : search.closable()) {
      const auto [a, b] = search.graph().ends[static_cast<std::size_t>(h)];
      if (a == m || b == m) o[static_cast<std::size_t>(h)] = false;
    }
    wanted.push_back(o);
  }
  for (const HatchSet& o : wanted) {
    Candidate c = search.evaluate(o);
    if (c.valid) return c;
  }
  return std::nullopt;
}

}  // namespace

const char* toString(Strategy s) {
  switch (s) {
    case Strategy::Information:
      return "information";
    case Strategy::HalvingByVolume:
      return "halving-by-volume";
    case Strategy::CrewOrder2018:
      return "crew-order-2018";
  }
  return "?";
}

double switchTime(const model::Station& st, const HatchSet& from, const HatchSet& to,
                  const SafetyRules& rules) {
  double t = 0.0;
  for (const HatchChange& c : changesBetween(from, to))
    t += st.hatches[static_cast<std::size_t>(c.hatch)].operateTime_s +
         (c.open ? rules.equalise_s : 0.0);
  return t;
}

double outcomeInformation(const std::vector<double>& mass, const std::vector<double>& error) {
  const std::size_t k = std::min<std::size_t>(mass.size(), 14);
  double conditional = 0.0;
  for (std::size_t j = 0; j < k; ++j) conditional += binaryEntropy(error[j]);
  double outcome = 0.0;
  for (std::size_t o = 0; o < (std::size_t{1} << k); ++o) {
    double p = 0.0;
    for (std::size_t g = 0; g < k; ++g) {
      double like = mass[g];
      for (std::size_t j = 0; j < k && like > 0.0; ++j) {
        const bool seen = (o >> j) & 1U;
        like *= seen == (j == g) ? 1.0 - error[j] : error[j];
      }
      p += like;
    }
    if (p > 0.0) outcome -= p * std::log2(p);
  }
  return std::max(0.0, outcome - conditional);
}

std::optional<PlannedTest> nextTest(const PlanState& s, const Belief& belief,
                                    const PlannerOptions& o, std::string* why) {
  const Search search(s, belief, o);
  std::optional<Candidate> best;
  if (o.strategy == Strategy::CrewOrder2018) {
    best = crewOrderChoice(s, search, search.mass());
  } else {
    search.candidates([&](const Candidate& c) {
      if (!best) {
        best = c;
        return;
      }
      if (o.strategy == Strategy::Information) {
        if (c.score > best->score) best = c;
      } else {
        const double a = c.volumeShare, b = best->volumeShare;
        if (a < b - 1e-9 || (std::abs(a - b) <= 1e-9 && c.score > best->score)) best = c;
      }
    });
  }
  if (!best) {
    if (why != nullptr)
      *why =
          "no safe test remains: every configuration that would split the modules still "
          "suspected either cuts a crew member off from their lifeboat or life support, "
          "risks a crewed segment's pressure limit, needs a hatch that cannot be closed, "
          "or cannot be read (no pressure sensor)";
    return std::nullopt;
  }
  // Again with its segments' member lists, which the search left out.
  return search.evaluate(best->open, true).test;
}

}  // namespace leakhunt::locate
