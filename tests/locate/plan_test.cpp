#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "locate/plan_tree.hpp"
#include "locate/render.hpp"
#include "test_stations.hpp"

namespace leakhunt::locate {
namespace {

using testing::idx;

// Every leaf of the tree names a module (or says why it cannot), the branch probabilities at
// each node sum to one, and every suspect is reachable as a conclusion.
TEST(PlanTree, branches_cover_every_suspect_and_sum_to_one) {
  const model::Station st = testing::issStation();
  PlanRequest req;
  req.station = &st;
  req.crew = musterInLifeboats(st, declaredCrewPlaces(st), &req.preface);
  const Segments seg = segmentsOf(st, declaredHatches(st));
  req.candidates = seg.members[static_cast<std::size_t>(
      seg.segmentOf[static_cast<std::size_t>(idx(st, "zvezda"))])];
  req.rate = {4.9e-4, 2.45e-4};
  const Plan plan = buildPlan(req);
  ASSERT_TRUE(plan.root);
  EXPECT_EQ(req.preface.size(), st.crew.size());
  std::set<std::string> concluded;
  std::function<void(const PlanNode&)> walk = [&](const PlanNode& n) {
    double total = 0.0;
    EXPECT_GT(n.dwell_s, 0.0);
    for (const PlanBranch& b : n.branches) {
      total += b.probability;
      if (b.next)
        walk(*b.next);
      else if (b.conclusion.rfind("leak in ", 0) == 0)
        concluded.insert(b.conclusion.substr(8, b.conclusion.find(' ', 8) - 8));
    }
    EXPECT_NEAR(total, 1.0, 1e-9);
  };
  walk(*plan.root);
  for (int m : req.candidates)
    EXPECT_TRUE(concluded.count(st.modules[static_cast<std::size_t>(m)].id))
        << st.modules[static_cast<std::size_t>(m)].id;
  EXPECT_LE(plan.expectedTime_s, plan.worstTime_s);
  EXPECT_TRUE(toJson(plan).contains("plan"));
  EXPECT_NE(toText(plan).find("Step 1"), std::string::npos);
}

// Every opening in a plan comes after equalising.
TEST(PlanTree, hatches_are_opened_only_after_equalising) {
  const model::Station st = testing::issStation();
  PlanRequest req;
  req.station = &st;
  req.crew = musterInLifeboats(st, declaredCrewPlaces(st), nullptr);
  for (std::size_t m = 0; m < st.modules.size(); ++m)
    if (st.modules[m].id != "beam") req.candidates.push_back(static_cast<int>(m));
  req.rate = {1.6e-5, 0.8e-5};
  const Plan plan = buildPlan(req);
  ASSERT_TRUE(plan.root);
  int opens = 0;
  std::function<void(const PlanNode&)> walk = [&](const PlanNode& n) {
    for (const std::string& op : n.operations) {
      EXPECT_TRUE(op.rfind("close ", 0) == 0 || op.rfind("equalise, then open ", 0) == 0) << op;
      opens += op.rfind("equalise", 0) == 0 ? 1 : 0;
    }
    for (const PlanBranch& b : n.branches)
      if (b.next) walk(*b.next);
  };
  walk(*plan.root);
  EXPECT_GT(opens, 0);
}

// Issue 21, item 5: where modules form a loop, one closed hatch parts nothing and only a
// second one does. The planner must look past the first (it said "no safe test remains"),
// and its first step must part the suspects with the loop's hatches closed.
model::Station loopStation(const std::string& hatches) {
  const std::string text = R"(name: loop
atmosphere: {pressure: 760 mmHg, temperature: 22 degC}
modules:
  - {id: a, volume: 50 m^3, vehicle: article}
  - {id: b, volume: 30 m^3, vehicle: article}
  - {id: c, volume: 20 m^3, vehicle: article}
hatches:
)" + hatches + R"(sensors:
  - {channel: a.pressure, module: a, quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}
  - {channel: b.pressure, module: b, quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}
  - {channel: c.pressure, module: c, quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}
)";
  Result<model::Station> s = model::parseStation(text, "loop.yaml");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(s).value();
}

TEST(PlanTree, a_loop_of_hatches_is_parted_by_closing_two) {
  const struct {
    const char* what;
    std::string hatches;
    std::vector<std::string> suspects;
  } cases[] = {
      {"two hatches between a and b",
       "  - {id: ab-1, between: [a, b], diameter: 0.8 m}\n"
       "  - {id: ab-2, between: [a, b], diameter: 0.8 m}\n"
       "  - {id: bc, between: [b, c], diameter: 0.8 m}\n",
       {"a", "b"}},
      {"a triangle",
       "  - {id: ab, between: [a, b], diameter: 0.8 m}\n"
       "  - {id: bc, between: [b, c], diameter: 0.8 m}\n"
       "  - {id: ca, between: [c, a], diameter: 0.8 m}\n",
       {"a", "b", "c"}},
  };
  for (const auto& k : cases) {
    const model::Station st = loopStation(k.hatches);
    for (Strategy strategy : {Strategy::Information, Strategy::HalvingByVolume}) {
      PlanRequest req;
      req.station = &st;
      req.crew = declaredCrewPlaces(st);
      for (const std::string& id : k.suspects) req.candidates.push_back(idx(st, id));
      req.rate = {2.0e-4, 1.0e-4};
      req.planner.strategy = strategy;
      const Plan plan = buildPlan(req);
      ASSERT_TRUE(plan.root) << k.what << ", " << toString(strategy) << ": " << plan.conclusion;
      const PlanNode& first = *plan.root;
      EXPECT_GE(first.closed.size(), 2u) << k.what;
      // The first step's segments part the suspects: no segment holds them all.
      for (const std::vector<std::string>& seg : first.segments) {
        int suspects = 0;
        for (const std::string& id : k.suspects)
          suspects += std::count(seg.begin(), seg.end(), id) > 0 ? 1 : 0;
        EXPECT_LT(suspects, static_cast<int>(k.suspects.size())) << k.what;
      }
    }
  }
}

}  // namespace
}  // namespace leakhunt::locate
