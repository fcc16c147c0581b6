#include "locate/safety.hpp"

#include <gtest/gtest.h>

#include <random>

#include "locate/planner.hpp"
#include "test_stations.hpp"

namespace leakhunt::locate {
namespace {

using testing::idx;

struct Fixture {
  model::Station st;
  StationFacts facts;
  CrewPlaces crew;
  std::vector<double> chance;
  SafetyQuery query(double rate_kg_s = 5e-4) {
    SafetyQuery q;
    q.station = &st;
    q.facts = &facts;
    q.crew = &crew;
    q.leakProbability = &chance;
    q.leakRateUpper_kg_s = rate_kg_s;
    return q;
  }
  HatchSet closing(std::initializer_list<const char*> ids) const {
    HatchSet open = declaredHatches(st);
    for (const char* id : ids) open[static_cast<std::size_t>(st.hatchIndex(id))] = false;
    return open;
  }
  bool says(const std::vector<std::string>& v, const std::string& what) const {
    for (const std::string& s : v)
      if (s.find(what) != std::string::npos) return true;
    return false;
  }
};

Fixture fixture(const std::string& extra = "") {
  Fixture f{testing::smallStation(extra), {}, {}, {}};
  f.facts = factsOf(f.st);
  f.crew = declaredCrewPlaces(f.st);
  f.chance.assign(f.st.modules.size(), 0.2);
  return f;
}

TEST(Safety, the_declared_configuration_is_safe) {
  Fixture f = fixture();
  EXPECT_TRUE(violations(f.query(), declaredHatches(f.st), 3600.0).empty());
}

TEST(Safety, a_hatch_that_cannot_be_closed_stays_open) {
  Fixture f = fixture();
  f.st.hatches[static_cast<std::size_t>(f.st.hatchIndex("node-lab"))].closable = false;
  const auto v = violations(f.query(), f.closing({"node-lab"}), 60.0);
  EXPECT_TRUE(f.says(v, "cannot be closed"));
}

TEST(Safety, crew_cut_off_from_their_lifeboat_is_refused) {
  Fixture f = fixture();
  const auto v = violations(f.query(), f.closing({"core-node"}), 60.0);
  EXPECT_TRUE(f.says(v, "crew one in core would be cut off from lifeboat soyuz"));
  EXPECT_FALSE(f.says(v, "crew two in lab would be cut off"));
  EXPECT_TRUE(f.says(v, "crew two in lab would have no O2 generation"));
}

TEST(Safety, crew_without_life_support_is_refused_unless_inside_their_lifeboat) {
  Fixture f = fixture();
  f.crew = {idx(f.st, "node"), idx(f.st, "node")};
  const auto v = violations(f.query(), f.closing({"core-node"}), 60.0);
  EXPECT_TRUE(f.says(v, "no O2 generation"));
  EXPECT_FALSE(f.says(v, "cut off"));
  f.crew = {idx(f.st, "soyuz-om"), idx(f.st, "soyuz-om")};
  EXPECT_TRUE(violations(f.query(), f.closing({"node-soyuz"}), 60.0).empty());
}

// Isothermal choked decay: p = p0 exp(-L t / M). The Soyuz (10.5 m^3, 12.4 kg) with the crew in
// it, losing 2e-3 kg/s, reaches 520 + 20 mmHg from 750 mmHg after M/L ln(750/540) = 2.0e3 s.
TEST(Safety, a_crewed_segment_that_may_leak_keeps_above_its_pressure_limit) {
  Fixture f = fixture();
  f.crew = {idx(f.st, "soyuz-om"), idx(f.st, "soyuz-om")};
  const HatchSet open = f.closing({"node-soyuz"});
  const double mass = f.facts.inventory_kg[static_cast<std::size_t>(idx(f.st, "soyuz-om"))] +
                      f.facts.inventory_kg[static_cast<std::size_t>(idx(f.st, "soyuz-da"))];
  const double limit = mass / 2e-3 * std::log(750.0 / 540.0);
  EXPECT_TRUE(violations(f.query(2e-3), open, 0.95 * limit).empty());
  EXPECT_TRUE(f.says(violations(f.query(2e-3), open, 1.05 * limit), "below the evacuation limit"));
  f.chance[static_cast<std::size_t>(idx(f.st, "soyuz-om"))] = 0.0;
  f.chance[static_cast<std::size_t>(idx(f.st, "soyuz-da"))] = 0.0;
  EXPECT_TRUE(violations(f.query(2e-3), open, 1.05 * limit).empty());
}

TEST(Safety, opening_a_hatch_costs_its_equalisation) {
  Fixture f = fixture();
  const HatchSet closed = f.closing({"node-lab"}), open = declaredHatches(f.st);
  SafetyRules rules;
  const double operate =
      f.st.hatches[static_cast<std::size_t>(f.st.hatchIndex("node-lab"))].operateTime_s;
  EXPECT_DOUBLE_EQ(switchTime(f.st, open, closed, rules), operate);
  EXPECT_DOUBLE_EQ(switchTime(f.st, closed, open, rules), operate + rules.equalise_s);
}

// The planner only ever proposes configurations that pass every rule for the whole hold: over
// many random beliefs, crew positions and leak rates on the ISS, no plan strands anyone.
TEST(Planner, no_plan_ever_strands_a_crew_member) {
  const model::Station st = testing::issStation();
  const StationFacts facts = factsOf(st);
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int planned = 0;
  for (int trial = 0; trial < 60; ++trial) {
    PriorSpec prior{PriorKind::Table, {}, 0.0};
    std::vector<int> all;
    for (std::size_t m = 0; m < st.modules.size(); ++m) {
      prior.table.push_back(u(rng) < 0.5 ? 0.0 : u(rng));
      all.push_back(static_cast<int>(m));
    }
    const Belief belief(st, all, prior);
    CrewPlaces crew;
    for (std::size_t c = 0; c < st.crew.size(); ++c)
      crew.push_back(static_cast<int>(rng() % st.modules.size()));
    PlanState ps{&st, &facts, crew, {std::pow(10.0, -5.0 + 2.5 * u(rng)), 0.0}, declaredHatches(st),
                 0,   {},     0.0};
    ps.rate.sigma_kg_s = 0.5 * ps.rate.mean_kg_s;
    std::string why;
    const std::optional<PlannedTest> t = nextTest(ps, belief, PlannerOptions{}, &why);
    if (!t) continue;
    ++planned;
    std::vector<double> mass = belief.moduleMarginal();
    SafetyQuery q{&st,     &facts, &crew, &mass, ps.rate.mean_kg_s + 2.0 * ps.rate.sigma_kg_s,
                  nullptr, {}};
    EXPECT_TRUE(violations(q, t->open, t->switch_s + kSettle_s + t->dwell_s).empty()) << trial;
    const Segments seg = segmentsOf(st, t->open);
    for (std::size_t c = 0; c < st.crew.size(); ++c) {
      bool lifeboat = false;
      for (int m :
           seg.members[static_cast<std::size_t>(seg.segmentOf[static_cast<std::size_t>(crew[c])])])
        lifeboat =
            lifeboat || st.modules[static_cast<std::size_t>(m)].vehicle == st.crew[c].lifeboat;
      EXPECT_TRUE(lifeboat) << "trial " << trial << " crew " << st.crew[c].id;
    }
  }
  EXPECT_GT(planned, 10);  // the property was exercised, not vacuous
}

// The leak may be in the lifeboat itself: the only split that tells it from the node cuts the
// crew off from it. The planner says so instead of planning it.
TEST(Planner, says_plainly_when_no_safe_test_remains) {
  const model::Station st = testing::smallStation();
  const StationFacts facts = factsOf(st);
  const Belief belief(st, {idx(st, "node"), idx(st, "soyuz-om")},
                      PriorSpec{PriorKind::Uniform, {}, 0.0});
  PlanState ps{&st, &facts, declaredCrewPlaces(st), {5e-4, 2.5e-4}, declaredHatches(st), 0,
               {},  0.0};
  std::string why;
  EXPECT_FALSE(nextTest(ps, belief, PlannerOptions{}, &why).has_value());
  EXPECT_NE(why.find("no safe test remains"), std::string::npos);
  // With the crew waiting inside the lifeboat, the same question has a safe test.
  ps.crew = {idx(st, "soyuz-om"), idx(st, "soyuz-om")};
  const std::optional<PlannedTest> t = nextTest(ps, belief, PlannerOptions{}, &why);
  ASSERT_TRUE(t.has_value());
  EXPECT_FALSE(t->open[static_cast<std::size_t>(st.hatchIndex("node-soyuz"))]);
}

}  // namespace
}  // namespace leakhunt::locate
