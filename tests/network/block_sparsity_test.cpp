#include "network/block_sparsity.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace leakhunt::network {
namespace {

// Curtis-Powell-Reid needs a distance-2 colouring: no two blocks of one colour share a neighbour.
TEST(BlockSparsity, colouring_never_puts_two_blocks_with_a_common_neighbour_together) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 50; ++trial) {
    const std::size_t n = 2 + rng() % 200;
    std::vector<Edge> edges;
    for (std::size_t b = 1; b < n; ++b)
      edges.push_back({static_cast<int>(rng() % b), static_cast<int>(b)});
    for (int extra = 0; extra < 20; ++extra)
      edges.push_back({static_cast<int>(rng() % n), static_cast<int>(rng() % n)});
    std::erase_if(edges, [](const Edge& e) { return e.a == e.b; });
    const BlockSparsity s = blockSparsity(n, 5, edges);
    for (std::size_t r = 0; r < n; ++r) {
      std::set<int> seen;
      for (int b : s.neighbours[r])
        EXPECT_TRUE(seen.insert(s.colour[static_cast<std::size_t>(b)]).second);
    }
  }
}

TEST(BlockSparsity, a_chain_needs_three_colours_whatever_its_length) {
  std::vector<Edge> chain;
  for (int b = 1; b < 1000; ++b) chain.push_back({b - 1, b});
  const BlockSparsity s = blockSparsity(1000, 5, chain);
  EXPECT_EQ(s.colours, 3);
  EXPECT_EQ(s.nonZeros(), (1000u * 3u - 2u) * 25u);
}

}  // namespace
}  // namespace leakhunt::network
