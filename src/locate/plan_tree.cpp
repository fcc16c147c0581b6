#include "locate/plan_tree.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>

namespace leakhunt::locate {
namespace {

std::vector<std::string> idsOf(const model::Station& st, const std::vector<int>& modules) {
  std::vector<std::string> out;
  for (int m : modules) out.push_back(st.modules[static_cast<std::size_t>(m)].id);
  return out;
}

std::string percent(double p) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", p);
  return b;
}

struct Builder {
  const PlanRequest& req;
  StationFacts facts;
  std::vector<int> sensorModule;  // per station sensor, its module's index
  int nodes = 0;

  // Returns the node and, through the out-parameters, its expected and worst time to finish.
  std::unique_ptr<PlanNode> build(const Belief& belief, const HatchSet& current, int depth,
                                  double* expected, double* worst, std::string* why) {
    *expected = 0.0;
    *worst = 0.0;
    const model::Station& st = *req.station;
    PlanState ps{&st, &facts, req.crew, req.rate, current, depth, {}, 0.0};
    const std::optional<PlannedTest> test = nextTest(ps, belief, req.planner, why);
    if (!test) return nullptr;
    ++nodes;
    auto node = std::make_unique<PlanNode>();
    node->closed = closedByPlan(st, test->open);
    for (const HatchChange& c : test->changes)
      node->operations.push_back((c.open ? "equalise, then open " : "close ") +
                                 st.hatches[static_cast<std::size_t>(c.hatch)].id);
    node->switch_s = test->switch_s;
    node->settle_s = kSettle_s;
    node->dwell_s = test->dwell_s;
    node->expectedBits = test->expectedBits;
    node->readingSigma_kg_s = test->readingSigma_kg_s;
    const double stepTime = test->switch_s + kSettle_s + test->dwell_s;
    std::vector<char> inSegment(st.modules.size(), 0);
    for (std::size_t g = 0; g < test->segments.size(); ++g) {
      const std::vector<int>& seg = test->segments[g];
      std::fill(inSegment.begin(), inSegment.end(), 0);
      for (int m : seg) inSegment[static_cast<std::size_t>(m)] = 1;
      node->segments.push_back(idsOf(st, seg));
      std::vector<std::string> channels;
      for (std::size_t k = 0; k < st.sensors.size(); ++k)
        if (st.sensors[k].quantity == model::Quantity::Pressure && sensorModule[k] >= 0 &&
            inSegment[static_cast<std::size_t>(sensorModule[k])])
          channels.push_back(st.sensors[k].channel);
      node->read.push_back(channels);
      PlanBranch br;
      br.losing = node->segments.back();
      br.probability = test->segmentMass[g];
      // Condition on "the leak is in this segment" (as one leak, or two inside it).
      std::vector<double> p = belief.probabilities();
      double total = 0.0;
      for (std::size_t k = 0; k < p.size(); ++k) {
        const Hypothesis& h = belief.hypotheses()[k];
        const auto in = [&](int m) { return m < 0 || inSegment[static_cast<std::size_t>(m)]; };
        if (!(in(h.a) && in(h.b))) p[k] = 0.0;
        total += p[k];
      }
      double subExpected = 0.0, subWorst = 0.0;
      if (total > 0.0) {
        for (double& v : p) v /= total;
        Belief next = belief;
        next.setProbabilities(p);
        const std::vector<double> single = next.singleLeak();
        const Verdict v = verdictOf(next, req.stopProbability);
        if (!v.modules.empty()) {
          std::string ids;
          for (int m : v.modules)
            ids += (ids.empty() ? "" : " and ") + st.modules[static_cast<std::size_t>(m)].id;
          br.conclusion = "leak in " + ids + " (" + percent(v.probability) + ")";
        } else if (depth + 1 >= req.maxDepth) {
          br.conclusion = "depth limit: re-plan from here";
        } else {
          std::string whyNot;
          br.next = build(next, test->open, depth + 1, &subExpected, &subWorst, &whyNot);
          if (!br.next) {
            std::string left;
            const std::vector<double> marginal = next.moduleMarginal();
            for (std::size_t m = 0; m < single.size(); ++m)
              if (marginal[m] >= 0.01) left += (left.empty() ? "" : ", ") + st.modules[m].id;
            br.conclusion = "cannot separate " + left + ": " + whyNot;
          }
        }
      }
      *expected += br.probability * (stepTime + subExpected);
      *worst = std::max(*worst, stepTime + subWorst);
      node->branches.push_back(std::move(br));
    }
    return node;
  }
};

}  // namespace

CrewPlaces musterInLifeboats(const model::Station& st, const CrewPlaces& from,
                             std::vector<std::string>* moves) {
  CrewPlaces to = from;
  // Neighbours of each module through its hatches (in hatch order), resolved once: the search
  // from every crew member's place then visits each hatch twice, not each hatch per module.
  const HatchGraph graph(st);
  std::vector<std::vector<int>> neighbours(st.modules.size());
  for (const auto& [a, b] : graph.ends)
    if (a >= 0 && b >= 0) {
      neighbours[static_cast<std::size_t>(a)].push_back(b);
      if (b != a) neighbours[static_cast<std::size_t>(b)].push_back(a);
    }
  const StationFacts facts = factsOf(st);
  for (std::size_t k = 0; k < st.crew.size(); ++k) {
    std::vector<int> dist(st.modules.size(), -1);
    std::deque<int> queue{from[k]};
    dist[static_cast<std::size_t>(from[k])] = 0;
    while (!queue.empty()) {
      const int m = queue.front();
      queue.pop_front();
      for (int other : neighbours[static_cast<std::size_t>(m)])
        if (dist[static_cast<std::size_t>(other)] < 0) {
          dist[static_cast<std::size_t>(other)] = dist[static_cast<std::size_t>(m)] + 1;
          queue.push_back(other);
        }
    }
    // The nearest module of the lifeboat, preferring one with a pressure sensor: the crew
    // waits at the lifeboat's hatch and the lifeboat's own inventory stays readable.
    const auto rank = [&](std::size_t m) {
      return std::pair{facts.hasPressureSensor[m] ? 0 : 1, dist[m]};
    };
    int best = -1;
    for (std::size_t m = 0; m < st.modules.size(); ++m)
      if (st.modules[m].vehicle == st.crew[k].lifeboat && dist[m] >= 0 &&
          (best < 0 || rank(m) < rank(static_cast<std::size_t>(best))))
        best = static_cast<int>(m);
    if (best >= 0) to[k] = best;
    if (to[k] != from[k] && moves != nullptr)
      moves->push_back(st.crew[k].id + ": " + st.modules[static_cast<std::size_t>(from[k])].id +
                       " -> " + st.modules[static_cast<std::size_t>(to[k])].id);
  }
  return to;
}

Plan buildPlan(const PlanRequest& req) {
  Plan plan;
  plan.station = req.station->name;
  plan.strategy = toString(req.planner.strategy);
  plan.leakRate_kg_s = req.rate.mean_kg_s;
  plan.preface = req.preface;
  Builder b{req, factsOf(*req.station), {}};
  for (const model::Sensor& s : req.station->sensors)
    b.sensorModule.push_back(req.station->moduleIndex(s.module));
  const Belief belief(*req.station, req.candidates, req.prior);
  plan.root = b.build(belief, declaredHatches(*req.station), 0, &plan.expectedTime_s,
                      &plan.worstTime_s, &plan.conclusion);
  plan.nodes = b.nodes;
  return plan;
}

}  // namespace leakhunt::locate
