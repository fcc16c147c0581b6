// When a block's mean of a channel is read (both detectors).
#pragma once

#include <algorithm>

namespace leakhunt::detect {

// A block with under half the samples the channel has given a block (the partial block
// finish() closes at the end of the data, or a gap) has a mean far noisier than a reading's
// noise model says, and stamped away from where it was measured: it is not read. `fullCount`
// keeps the most samples a block has had. Two of the books' first campaign's six false alarms
// were such blocks, and the slope-change detector alarmed on one at the end of a 1 mm campaign
// run, reading 0.10 kg/s (docs/detection.md).
inline bool blockMeanReadable(int count, int& fullCount) {
  fullCount = std::max(fullCount, count);
  return count > 0 && 2 * count >= fullCount;
}

}  // namespace leakhunt::detect
