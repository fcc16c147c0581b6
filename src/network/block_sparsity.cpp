#include "network/block_sparsity.hpp"

#include <algorithm>

namespace leakhunt::network {

std::size_t BlockSparsity::nonZeros() const {
  std::size_t n = 0;
  for (const auto& nb : neighbours) n += nb.size();
  return n * blockSize * blockSize;
}

BlockSparsity blockSparsity(std::size_t blocks, std::size_t blockSize,
                            const std::vector<Edge>& edges) {
  BlockSparsity s;
  s.blockSize = blockSize;
  s.neighbours.resize(blocks);
  for (std::size_t b = 0; b < blocks; ++b) s.neighbours[b].push_back(static_cast<int>(b));
  for (const Edge& e : edges) {
    s.neighbours[static_cast<std::size_t>(e.a)].push_back(e.b);
    s.neighbours[static_cast<std::size_t>(e.b)].push_back(e.a);
  }
  for (auto& nb : s.neighbours) {
    std::sort(nb.begin(), nb.end());
    nb.erase(std::unique(nb.begin(), nb.end()), nb.end());
  }
  // Greedy distance-2 colouring: a block may not share a colour with any block within two hops.
  s.colour.assign(blocks, -1);
  std::vector<int> usedBy(blocks + 1, -1);
  for (std::size_t b = 0; b < blocks; ++b) {
    for (int n1 : s.neighbours[b])
      for (int n2 : s.neighbours[static_cast<std::size_t>(n1)]) {
        const int c = s.colour[static_cast<std::size_t>(n2)];
        if (c >= 0) usedBy[static_cast<std::size_t>(c)] = static_cast<int>(b);
      }
    int c = 0;
    while (usedBy[static_cast<std::size_t>(c)] == static_cast<int>(b)) ++c;
    s.colour[b] = c;
    s.colours = std::max(s.colours, c + 1);
  }
  return s;
}

}  // namespace leakhunt::network
