#include <gtest/gtest.h>

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

}  // namespace
}  // namespace leakhunt::locate
