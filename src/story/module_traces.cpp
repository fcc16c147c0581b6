#include "story/module_traces.hpp"

#include <cmath>
#include <limits>

namespace leakhunt::story {

BinnedSeries::BinnedSeries(double start_s, double bin_s, std::size_t count)
    : m_start_s(start_s), m_bin_s(bin_s), m_sum(count), m_n(count) {}

void BinnedSeries::add(std::size_t series, double t_s, double value) {
  if (t_s < m_start_s || !std::isfinite(value)) return;
  const auto bin = static_cast<std::size_t>((t_s - m_start_s) / m_bin_s);
  std::vector<double>& sum = m_sum[series];
  if (bin >= sum.size()) {
    sum.resize(bin + 1, 0.0);
    m_n[series].resize(bin + 1, 0);
  }
  sum[bin] += value;
  ++m_n[series][bin];
}

std::vector<double> BinnedSeries::times() const {
  std::size_t bins = 0;
  for (const auto& s : m_sum) bins = std::max(bins, s.size());
  std::vector<double> t(bins);
  for (std::size_t i = 0; i < bins; ++i)
    t[i] = m_start_s + (static_cast<double>(i) + 0.5) * m_bin_s;
  return t;
}

std::vector<double> BinnedSeries::means(std::size_t series) const {
  std::vector<double> out(times().size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < m_sum[series].size(); ++i)
    if (m_n[series][i] > 0) out[i] = m_sum[series][i] / m_n[series][i];
  return out;
}

std::vector<report::Series> groupedSeries(const BinnedSeries& binned,
                                          const std::vector<std::string>& labels, double tolerance,
                                          double scale) {
  const std::vector<double> t = binned.times();
  std::vector<std::vector<double>> values;
  for (std::size_t s = 0; s < binned.count(); ++s) values.push_back(binned.means(s));
  std::vector<int> group(binned.count(), -1);
  std::vector<report::Series> out;
  std::vector<int> members;
  for (std::size_t s = 0; s < binned.count(); ++s) {
    if (group[s] >= 0) continue;
    int n = 0;
    for (std::size_t o = s; o < binned.count(); ++o) {
      if (group[o] >= 0) continue;
      bool together = true;
      for (std::size_t i = 0; i < t.size() && together; ++i)
        if (std::isfinite(values[s][i]) && std::isfinite(values[o][i]))
          together = std::abs(values[s][i] - values[o][i]) <= tolerance;
      if (together) {
        group[o] = static_cast<int>(out.size());
        ++n;
      }
    }
    report::Series series;
    series.label = labels[s] + (n > 1 ? " (+" + std::to_string(n - 1) + ")" : "");
    series.t = t;
    for (double v : values[s]) series.y.push_back(v * scale);
    out.push_back(std::move(series));
  }
  return out;
}

}  // namespace leakhunt::story
