#include "locate/configuration.hpp"

#include <gtest/gtest.h>

#include <random>

#include "detect/station_segments.hpp"
#include "model/synthetic_station.hpp"
#include "test_stations.hpp"

namespace leakhunt::locate {
namespace {

using testing::idx;

TEST(Segments, all_open_hatches_make_one_segment) {
  const model::Station st = testing::smallStation();
  const Segments s = segmentsOf(st, declaredHatches(st));
  EXPECT_EQ(s.members.size(), 1u);
  EXPECT_EQ(s.members[0].size(), 5u);
}

TEST(Segments, closing_the_node_hatches_isolates_each_branch) {
  const model::Station st = testing::smallStation();
  HatchSet open = declaredHatches(st);
  open[static_cast<std::size_t>(st.hatchIndex("core-node"))] = false;
  open[static_cast<std::size_t>(st.hatchIndex("node-soyuz"))] = false;
  const Segments s = segmentsOf(st, open);
  ASSERT_EQ(s.members.size(), 3u);
  EXPECT_EQ(s.segmentOf[static_cast<std::size_t>(idx(st, "node"))],
            s.segmentOf[static_cast<std::size_t>(idx(st, "lab"))]);
  EXPECT_EQ(s.segmentOf[static_cast<std::size_t>(idx(st, "soyuz-om"))],
            s.segmentOf[static_cast<std::size_t>(idx(st, "soyuz-da"))]);
  EXPECT_NE(s.segmentOf[static_cast<std::size_t>(idx(st, "core"))],
            s.segmentOf[static_cast<std::size_t>(idx(st, "node"))]);
  EXPECT_EQ(closedByPlan(st, open), (std::vector<std::string>{"core-node", "node-soyuz"}));
}

TEST(Segments, iss_beam_is_its_own_segment_as_declared) {
  const model::Station st = testing::issStation();
  const Segments s = segmentsOf(st, declaredHatches(st));
  ASSERT_EQ(s.members.size(), 2u);
  const auto beam =
      static_cast<std::size_t>(s.segmentOf[static_cast<std::size_t>(idx(st, "beam"))]);
  EXPECT_EQ(s.members[beam], std::vector<int>{idx(st, "beam")});
}

// The planner labels segments with a union-find of its own (fast: it splits a big station
// hundreds of thousands of times a step), and matches its segments to the detector's residual
// stream by their members. Both must be the one rule of physics.md 6: the same members, numbered
// by their lowest module, for any hatch set.
TEST(Segments, the_planners_segments_are_the_detectors_for_any_hatch_set) {
  model::SyntheticStationOptions o;
  o.modules = 120;
  o.topology = model::SyntheticTopology::Tree;
  Result<model::Station> tree = model::parseStation(model::syntheticStationYaml(o), "tree.yaml");
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  const model::Station stations[] = {testing::issStation(), std::move(tree).value()};
  std::mt19937_64 rng(6);
  int compared = 0, split = 0;
  for (const model::Station& st : stations)
    for (double closedShare : {0.05, 0.2, 0.5, 0.9})
      for (int k = 0; k < 50; ++k) {
        HatchSet open(st.hatches.size());
        std::bernoulli_distribution closed(closedShare);
        for (std::size_t h = 0; h < open.size(); ++h) open[h] = !closed(rng);
        const Segments mine = segmentsOf(st, open);
        const network::Segmentation theirs = detect::segmentsOf(st, open);
        ASSERT_EQ(mine.segmentOf, theirs.segmentOf);
        ASSERT_EQ(mine.members, theirs.members);
        ++compared;
        split += mine.members.size() > 1 ? 1 : 0;
      }
  EXPECT_EQ(compared, 400);
  EXPECT_GT(split, 300);  // the hatch sets did split the stations
}

TEST(Segments, changes_list_what_differs) {
  const HatchSet a{true, true, false}, b{false, true, true};
  const std::vector<HatchChange> c = changesBetween(a, b);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].hatch, 0);
  EXPECT_FALSE(c[0].open);
  EXPECT_EQ(c[1].hatch, 2);
  EXPECT_TRUE(c[1].open);
}

}  // namespace
}  // namespace leakhunt::locate
