// The planner's choices do not change when it is made faster (issue 15: planning on big
// stations). Each case builds a whole plan tree and compares a fingerprint of what a crew would
// be told: at every node the hatches held closed, the dwell, the expected bits (6 significant
// figures) and each branch's probability and conclusion. The fingerprints were taken with the
// planner as it was before the speed work (commit 9780c29), and taken again when the planner
// took the detector's noise model for its expected readings (issue 12: one noise model; the
// localisation campaigns before and after are in docs/localisation.md). A deliberate change to
// the planner's choices must update them, and the test prints the plan it saw.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "locate/plan_tree.hpp"
#include "model/load.hpp"
#include "model/synthetic_station.hpp"
#include "test_stations.hpp"

namespace leakhunt::locate {
namespace {

void describe(const PlanNode& n, const std::string& indent, std::string* out) {
  char b[96];
  std::snprintf(b, sizeof b, " dwell %.0f s, %.6g bits\n", n.dwell_s, n.expectedBits);
  *out += indent + "closed";
  for (const std::string& h : n.closed) *out += " " + h;
  *out += b;
  for (const PlanBranch& br : n.branches) {
    std::snprintf(b, sizeof b, "%.6f", br.probability);
    *out += indent + "- " + std::to_string(br.losing.size()) + " modules " + b + " " +
            br.conclusion + "\n";
    if (br.next) describe(*br.next, indent + "  ", out);
  }
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string planText(const model::Station& st, Strategy strategy, double rate_kg_s) {
  PlanRequest req;
  req.station = &st;
  req.crew = musterInLifeboats(st, declaredCrewPlaces(st), &req.preface);
  const Segments seg = segmentsOf(st, declaredHatches(st));
  for (const std::vector<int>& m : seg.members)
    if (m.size() > req.candidates.size()) req.candidates = m;
  req.rate = {rate_kg_s, 0.5 * rate_kg_s};
  req.planner.strategy = strategy;
  const Plan plan = buildPlan(req);
  std::string out;
  for (const std::string& p : plan.preface) out += "preface " + p + "\n";
  if (plan.root)
    describe(*plan.root, "", &out);
  else
    out += "no plan: " + plan.conclusion + "\n";
  return out;
}

model::Station synthetic(int modules, model::SyntheticTopology topology) {
  model::SyntheticStationOptions o;
  o.modules = modules;
  o.topology = topology;
  Result<model::Station> s = model::parseStation(model::syntheticStationYaml(o), "synthetic.yaml");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(s).value();
}

TEST(PlanRegression, plans_are_the_planners_of_before_the_speed_work) {
  const model::Station chain = synthetic(60, model::SyntheticTopology::Chain);
  const model::Station tree = synthetic(40, model::SyntheticTopology::Tree);
  const model::Station iss = testing::issStation();
  const struct {
    const char* what;
    const model::Station* station;
    Strategy strategy;
    double rate_kg_s;
    uint64_t fingerprint;
  } cases[] = {
      {"chain of 60, information", &chain, Strategy::Information, 5e-4, 3917042216055533382ULL},
      {"chain of 60, halving", &chain, Strategy::HalvingByVolume, 5e-4, 2515939541389952280ULL},
      {"tree of 40, information, slow leak", &tree, Strategy::Information, 2e-5,
       1901524041491275160ULL},
      {"ISS 2018, crew order", &iss, Strategy::CrewOrder2018, 4.9e-4, 4637713900521472584ULL},
      {"ISS 2018, information, 1.4 kg/day", &iss, Strategy::Information, 1.6e-5,
       11913092821607727621ULL},
  };
  for (const auto& c : cases) {
    const std::string text = planText(*c.station, c.strategy, c.rate_kg_s);
    EXPECT_EQ(fnv1a(text), c.fingerprint) << c.what << ":\n" << text;
  }
}

}  // namespace
}  // namespace leakhunt::locate
