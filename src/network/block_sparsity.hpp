// The sparsity of a network's Jacobian: a module's state depends only on its own and its
// hatch neighbours' states. Colouring the modules so that no two of a colour share a neighbour
// lets one right-hand-side evaluation per colour and state component fill the whole Jacobian
// by differences (Curtis-Powell-Reid), so its cost grows with the colours, not the modules.
#pragma once

#include <cstddef>
#include <vector>

#include "network/segments.hpp"

namespace leakhunt::network {

struct BlockSparsity {
  std::size_t blockSize = 0;
  std::vector<std::vector<int>> neighbours;  // per block, ascending, including itself
  std::vector<int> colour;                   // per block
  int colours = 0;

  std::size_t blocks() const { return neighbours.size(); }
  std::size_t nonZeros() const;
};

// Blocks joined by any of `edges` (open or closed: the pattern must not change with hatch states).
BlockSparsity blockSparsity(std::size_t blocks, std::size_t blockSize,
                            const std::vector<Edge>& edges);

}  // namespace leakhunt::network
