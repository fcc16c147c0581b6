// The numerical core of detection: a windowed test for a change in the slope of a series
// (physics.md section 5). Given points (tau_k, y_k), it fits y = a + b u - L (u - u_j)+ by least
// squares for a candidate onset j, where L > 0 is a loss that starts at j. The fit uses prefix
// sums, so every candidate costs O(1) once `prepare()` has run (O(n) per new point).
//
// Each point may carry a clock beside its tau: any non-decreasing abscissa (the pressure's
// integral over time). A fit `following` the clock takes the loss after the onset as
// L s (c - c_j)+: a loss whose rate is proportional to the clock's rate, read as L where the
// clock runs at 1 / s per unit of tau. A hole's choked flow follows the cabin pressure, so with
// c = integral of p dtau and s = 1 / p_now the fit reads the hole's rate now, at any onset.
//
// No allocation after construction: the buffer is sized for the longest window up front.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace leakhunt::detect {

// One least-squares fit of a slope change at a candidate onset.
struct SlopeChangeFit {
  double rate = 0.0;               // L: slope before minus slope after [value units / s]
  double whiteVariance = 0.0;      // var(L) per unit white-noise variance of y [1/s^2]
  double projection = 0.0;         // <w~, y~>: the profile log-likelihood gain is projection*rate/2
  double testLength_s = 0.0;       // tau_last - tau_onset
  double referenceLength_s = 0.0;  // tau_onset - tau_first
};

class SlopeChangeWindow {
 public:
  // Holds at most `capacity` points; older points are dropped (in halves, without allocating).
  explicit SlopeChangeWindow(std::size_t capacity);

  void clear();
  void push(double tau_s, double value, double time_s, double clock = 0.0);
  std::size_t size() const { return m_count; }
  // Points are addressed by a sequence number that survives dropping: first() .. first()+size()-1.
  uint64_t first() const { return m_firstSeq; }
  uint64_t last() const { return m_firstSeq + m_count - 1; }
  double tau(uint64_t seq) const { return m_tau[index(seq)]; }
  double value(uint64_t seq) const { return m_value[index(seq)]; }
  double time(uint64_t seq) const { return m_time[index(seq)]; }
  double clock(uint64_t seq) const { return m_clock[index(seq)]; }
  // Oldest sequence number whose tau is at least `tau_s` (last()+1 when none).
  uint64_t firstAtOrAfter(double tau_s) const;

  // Extends the prefix sums over new points; call after pushes and before fit().
  void prepare();
  // Fit on points [from, to] with the slope change at `onset` (from < onset < to). With
  // `following` > 0 the loss after the onset follows the clock, scaled by it (see above).
  SlopeChangeFit fit(uint64_t from, uint64_t onset, uint64_t to, double following = 0.0) const;
  // The same with the slope before the onset known to be zero: y = a - L (u - u_j)+. For a
  // residual whose known sources are subtracted, so only the level is fitted before the onset.
  SlopeChangeFit fitFlat(uint64_t from, uint64_t onset, uint64_t to, double following = 0.0) const;

 private:
  SlopeChangeFit fitWith(uint64_t from, uint64_t onset, uint64_t to, bool flat,
                         double following) const;
  SlopeChangeFit result(double ww, double wy, std::size_t f, std::size_t j, std::size_t l) const;
  std::size_t index(uint64_t seq) const { return static_cast<std::size_t>(seq - m_firstSeq); }

  std::size_t m_capacity;
  std::size_t m_count = 0;
  std::size_t m_prepared = 0;  // prefix sums are valid for the first m_prepared points
  uint64_t m_firstSeq = 0;
  std::vector<double> m_tau, m_value, m_time, m_clock;
  // Prefix sums over u = tau - tau[0], y = value - value[0], c = clock - clock[0]: entry i sums
  // points [0, i).
  std::vector<double> m_su, m_suu, m_sy, m_suy, m_sc, m_scc, m_scu, m_scy;
};

// Standard normal upper quantile: z with P(Z > z) = p, for 0 < p < 0.5.
double normalUpperQuantile(double p);

}  // namespace leakhunt::detect
