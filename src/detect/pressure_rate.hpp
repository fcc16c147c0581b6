// The leak rate from the segment's own pressure over the last minutes (issue 20): the fast
// number a crew needs in the first minute of a big breach, when the detector's inventory fit
// (the slope-change hinge, the books' onset hypotheses) has too few blocks after the onset and
// states a narrow, wrong rate.
//
// A hole of fixed area in an isothermal cabin empties it exponentially (physics.md 5): the
// segment's air N(t) = N0 exp(-(t - t0) / tau) after the onset t0, so ln N is a hinge in time,
// flat before t0 and straight after it, whatever the size of the hole. The track keeps the last
// blocks' inventory (the segment's pressure times its capacity at the measured temperatures,
// less the known sources' gas) and fits that hinge to ln N, the onset profiled over a 2 s grid
// inside the fitted window. The rate at the end of the last block is N_end / tau.
//
// Its 95 % interval is the envelope of +-1.96 sd over the onsets within the chi2(1) cut. With
// one block after the onset the data cannot tell a small rate since the start of that block from
// a large one since its last seconds: while an onset within the cut lies in the last two blocks
// (the first of them may hold only the noise that brought the alarm), the interval is open above
// (`openAbove`, "the rate is at least `low_kg_s`"), its upper end the rate of an onset 10 s
// before the last block's end.
#pragma once

#include <array>

namespace leakhunt::detect {

struct PressureRate {
  bool valid = false;
  double rate_kg_s = 0.0;                  // at the end of the last block
  double low_kg_s = 0.0, high_kg_s = 0.0;  // 95 %
  bool openAbove = false;                  // the onset may lie in the last two blocks
  double onset_s = 0.0;                    // best onset (the window's start: at or before it)
  double airEnd_kg = 0.0;                  // the fitted air at the last block's end
};

class PressureRateTrack {
 public:
  static constexpr int kWindow = 10;     // blocks fitted
  static constexpr int kNoiseSpan = 30;  // blocks whose second differences give the noise
  static constexpr int kMinBlocks = 6;   // a fit needs this many continuous blocks

  // One block: its start and length, the segment's inventory and the known sources' cabin-air
  // mass over the block (`known_kg`, a logged repress included). `continuous`: the same
  // segment, sensors and hatches as the block before, so the inventory is comparable; if not,
  // the history restarts at this block.
  void push(double blockStart_s, double block_s, double inventory_kg, double known_kg,
            bool continuous);
  void clear() { m_count = 0; }
  int blocks() const { return m_count; }

  PressureRate estimate() const;

 private:
  std::array<double, kNoiseSpan> m_lnAir{};  // ln(inventory - known gas since the restart)
  std::array<double, kNoiseSpan> m_start{};
  double m_block_s = 60.0;
  double m_known_kg = 0.0;
  int m_count = 0, m_head = 0;  // m_head: where the next block goes
};

}  // namespace leakhunt::detect
