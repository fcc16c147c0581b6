// Module pressures averaged over fixed bins, and modules that move together drawn as one line:
// a segment's modules share one pressure, so a plot of 23 modules shows as a few segments.
#pragma once

#include <string>
#include <vector>

#include "report/report.hpp"

namespace leakhunt::story {

class BinnedSeries {
 public:
  BinnedSeries(double start_s, double bin_s, std::size_t count);
  void add(std::size_t series, double t_s, double value);
  // Bin centres and means; an empty bin is NaN.
  std::vector<double> times() const;
  std::vector<double> means(std::size_t series) const;
  std::size_t count() const { return m_sum.size(); }

 private:
  double m_start_s, m_bin_s;
  std::vector<std::vector<double>> m_sum;
  std::vector<std::vector<int>> m_n;
};

// Groups series whose values never differ by more than `tolerance` at any shared time, and
// returns one report series per group, labelled "<first> (+N)" with `scale` applied.
std::vector<report::Series> groupedSeries(const BinnedSeries& binned,
                                          const std::vector<std::string>& labels, double tolerance,
                                          double scale);

}  // namespace leakhunt::story
