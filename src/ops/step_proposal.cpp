#include "ops/step_proposal.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

#include "locate/reading_noise.hpp"

namespace leakhunt::ops {
namespace {

std::string listOf(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

std::vector<Operation> operationsOf(const locate::PlannedTest& test, const StepContext& c) {
  const model::Station& st = *c.station;
  std::vector<Operation> out;
  for (std::size_t k = 0; k < st.crew.size(); ++k)
    if (c.crewTo[k] != c.crewFrom[k]) {
      const std::string& to = st.modules[static_cast<std::size_t>(c.crewTo[k])].id;
      const std::string from =
          c.crewFrom[k] >= 0 ? st.modules[static_cast<std::size_t>(c.crewFrom[k])].id : "?";
      out.push_back({OperationKind::CrewMove, st.crew[k].id, to, 0.0, c.muster_s,
                     st.crew[k].id + ": " + from + " -> " + to});
    }
  double t = out.empty() ? 0.0 : c.muster_s;
  // The planner orders the changes closes first: a segment is never opened to one that may
  // hold the leak before the leak's side is shut.
  for (const locate::HatchChange& h : test.changes) {
    const model::Hatch& hatch = st.hatches[static_cast<std::size_t>(h.hatch)];
    const double d = hatch.operateTime_s + (h.open ? c.rules.equalise_s : 0.0);
    if (h.open)
      out.push_back(
          {OperationKind::EqualiseThenOpen, hatch.id, "", t, d, "equalise, then open " + hatch.id});
    else
      out.push_back({OperationKind::CloseHatch, hatch.id, "", t, d, "close " + hatch.id});
    t += d;
  }
  return out;
}

std::vector<Read> readsOf(const locate::PlannedTest& test, const model::Station& st) {
  std::vector<Read> out;
  for (std::size_t g = 0; g < test.segments.size(); ++g) {
    Read r;
    r.segment = idsOf(st, test.segments[g]);
    r.leakProbability = test.segmentMass[g];
    r.readingSigma_kg_s = g < test.readingSigma_kg_s.size() ? test.readingSigma_kg_s[g] : 0.0;
    r.ifLosing = "losing gas: the leak is in " + listOf(r.segment);
    r.ifSteady = "steady: the leak is not in " + listOf(r.segment);
    out.push_back(std::move(r));
  }
  return out;
}

WhySafe whySafeOf(const locate::PlannedTest& test, const StepContext& c, double hold_s) {
  const model::Station& st = *c.station;
  const locate::StationFacts& f = *c.facts;
  WhySafe out;
  out.hold_s = hold_s;
  for (std::size_t k = 0; k < st.crew.size(); ++k)
    out.paths.push_back(
        {st.crew[k].id, st.crew[k].lifeboat,
         idsOf(st, pathToLifeboat(st, test.open, c.crewTo[k], st.crew[k].lifeboat))});
  locate::SafetyQuery q;
  q.station = &st;
  q.facts = &f;
  q.crew = &c.crewTo;
  q.leakProbability = &c.leakProbability;
  q.leakRateUpper_kg_s = c.rate.mean_kg_s + 2.0 * c.rate.sigma_kg_s;  // as the planner does
  q.pressure_pa = c.pressure_pa.empty() ? nullptr : &c.pressure_pa;
  q.rules = c.rules;
  out.violations = locate::violations(q, test.open, hold_s);
  out.longestHold_s = locate::longestSafeHold(q, test.open);
  // The margin, segment by segment: its pressure now (the lowest of its modules'), its
  // inventory scaled to that pressure, losing the upper rate for the whole hold.
  const locate::Segments seg = locate::segmentsOf(st, test.open);
  const auto pressureOf = [&](int m) {
    return c.pressure_pa.empty() ? f.pressure_pa : c.pressure_pa[static_cast<std::size_t>(m)];
  };
  double lowest = std::numeric_limits<double>::infinity();
  for (const std::vector<int>& members : seg.members) {
    bool crewed = false;
    double chance = 0.0, p = std::numeric_limits<double>::infinity(), mass = 0.0;
    for (int m : members) {
      crewed = crewed || std::find(c.crewTo.begin(), c.crewTo.end(), m) != c.crewTo.end();
      chance += c.leakProbability[static_cast<std::size_t>(m)];
      p = std::min(p, pressureOf(m));
      mass += f.inventory_kg[static_cast<std::size_t>(m)];
    }
    if (!crewed || chance <= 0.0) continue;
    lowest = std::min(
        lowest, locate::pressureAfter(p, mass * p / f.pressure_pa, q.leakRateUpper_kg_s, hold_s));
  }
  if (!std::isfinite(lowest)) lowest = f.pressure_pa;
  out.pressureMargin_pa = lowest - f.evacuation_pa;
  return out;
}

}  // namespace

std::vector<std::string> idsOf(const model::Station& st, const std::vector<int>& modules) {
  std::vector<std::string> out;
  for (int m : modules) out.push_back(st.modules[static_cast<std::size_t>(m)].id);
  return out;
}

std::vector<int> pathToLifeboat(const model::Station& st, const locate::HatchSet& open, int from,
                                const std::string& lifeboat) {
  if (from < 0) return {};
  std::vector<int> parent(st.modules.size(), -2);
  std::deque<int> queue{from};
  parent[static_cast<std::size_t>(from)] = -1;
  while (!queue.empty()) {
    const int m = queue.front();
    queue.pop_front();
    if (st.modules[static_cast<std::size_t>(m)].vehicle == lifeboat) {
      std::vector<int> path;
      for (int at = m; at >= 0; at = parent[static_cast<std::size_t>(at)]) path.push_back(at);
      std::reverse(path.begin(), path.end());
      return path;
    }
    for (std::size_t h = 0; h < st.hatches.size(); ++h) {
      if (!open[h]) continue;
      const int a = st.moduleIndex(st.hatches[h].moduleA),
                b = st.moduleIndex(st.hatches[h].moduleB);
      const int other = a == m ? b : (b == m ? a : -1);
      if (other >= 0 && parent[static_cast<std::size_t>(other)] == -2) {
        parent[static_cast<std::size_t>(other)] = m;
        queue.push_back(other);
      }
    }
  }
  return {};
}

ProposedStep proposalOf(const locate::PlannedTest& test, const StepContext& c, int step,
                        double now_s) {
  const model::Station& st = *c.station;
  ProposedStep out;
  out.step = step;
  out.proposedAt_s = now_s;
  out.operations = operationsOf(test, c);
  out.closedHatches = locate::closedByPlan(st, test.open);
  for (const Operation& o : out.operations)
    out.switch_s = std::max(out.switch_s, o.start_s + o.duration_s);
  out.settle_s = out.operations.empty() ? 0.0 : locate::kSettle_s;
  out.dwell_s = test.dwell_s;
  out.expectedBits = test.expectedBits;
  out.reads = readsOf(test, st);
  const double reopen = locate::switchTime(st, test.open, locate::declaredHatches(st), c.rules);
  // The hold the planner checked: hatch operations, settling, dwell, reopening (a muster
  // happens before the configuration changes, so it does not lengthen the hold).
  out.whySafe = whySafeOf(test, c, test.switch_s + locate::kSettle_s + test.dwell_s + reopen);
  return out;
}

const char* toString(OperationKind kind) {
  switch (kind) {
    case OperationKind::CrewMove:
      return "crew move";
    case OperationKind::CloseHatch:
      return "close";
    case OperationKind::EqualiseThenOpen:
      return "equalise, then open";
  }
  return "?";
}

}  // namespace leakhunt::ops
