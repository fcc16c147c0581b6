#include "locate/configuration.hpp"

#include <gtest/gtest.h>

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
