#include "detect/sensor_health.hpp"

#include <algorithm>
#include <cmath>

namespace leakhunt::detect {

const char* toString(SensorFaultKind kind) {
  switch (kind) {
    case SensorFaultKind::Dropout:
      return "dropout";
    case SensorFaultKind::Stuck:
      return "stuck";
    case SensorFaultKind::BiasJump:
      return "bias_jump";
  }
  return "?";
}

double medianOf(std::vector<double>& values) {
  const std::size_t n = values.size(), mid = n / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  double median = values[mid];
  if (n % 2 == 0) {
    const double lower =
        *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
    median = 0.5 * (median + lower);
  }
  return median;
}

double sensorBlockNoise(const model::Sensor& sensor, double blockPeriod_s) {
  const double period = sensor.period_s > 0.0 ? sensor.period_s : 1.0;
  const double perBlock = std::max(1.0, blockPeriod_s / period);
  return std::sqrt(sensor.noise * sensor.noise + sensor.resolution * sensor.resolution / 12.0) /
         std::sqrt(perBlock);
}

SensorHealth::SensorHealth(SensorHealthOptions options, std::size_t channels, FaultSink sink)
    : m_options(options), m_channels(channels), m_sink(std::move(sink)) {
  m_faults.reserve(64);
  m_scratch.reserve(channels + 1);
}

void SensorHealth::describe(int c, int group, const model::Sensor& sensor, double blockPeriod_s) {
  ChannelHealth& ch = channel(c);
  ch.group = group;
  ch.period_s = sensor.period_s > 0.0 ? sensor.period_s : 1.0;
  ch.blockNoise = sensorBlockNoise(sensor, blockPeriod_s);
}

void SensorHealth::onSample(int c, double time_s, double value) {
  ChannelHealth& ch = channel(c);
  if (ch.dropout) end(ch.dropoutFault, time_s, ch.dropout);
  if (!ch.seen || value != ch.lastValue) {
    if (ch.stuck) end(ch.stuckFault, time_s, ch.stuck);
    ch.runStart_s = time_s;
    ch.runLength = 0;
  }
  ++ch.runLength;
  ch.seen = true;
  ch.lastValue = value;
  ch.lastTime_s = time_s;
}

void SensorHealth::start(int c, SensorFaultKind kind, double t, double magnitude, int* slot) {
  m_faults.push_back({c, kind, t, t, true, magnitude});
  if (slot != nullptr) *slot = static_cast<int>(m_faults.size()) - 1;
  if (m_sink) m_sink(m_faults.back());
}

void SensorHealth::end(int& slot, double t, bool& flag) {
  flag = false;
  if (slot < 0) return;
  SensorFault& f = m_faults[static_cast<std::size_t>(slot)];
  f.end_s = t;
  f.ongoing = false;
  slot = -1;
  if (m_sink) m_sink(f);
}

void SensorHealth::checkDropoutAndStuck(double blockEnd_s, bool finishing) {
  for (std::size_t c = 0; c < m_channels.size(); ++c) {
    ChannelHealth& ch = m_channels[c];
    if (ch.group < 0 || !ch.seen) continue;
    const double silence = std::max(m_options.dropoutAfter_s, 10.0 * ch.period_s);
    if (!finishing && !ch.dropout && blockEnd_s - ch.lastTime_s > silence) {
      ch.dropout = true;
      start(static_cast<int>(c), SensorFaultKind::Dropout, ch.lastTime_s, 0.0, &ch.dropoutFault);
    }
    const double still = std::max(m_options.stuckAfter_s, 10.0 * ch.period_s);
    if (!ch.stuck && !ch.dropout && ch.lastTime_s - ch.runStart_s >= still &&
        othersMoved(c, ch.runStart_s)) {
      ch.stuck = true;
      start(static_cast<int>(c), SensorFaultKind::Stuck, ch.runStart_s, 0.0, &ch.stuckFault);
    }
  }
}

// Another live sensor of the same group changed its value after `since`.
bool SensorHealth::othersMoved(std::size_t self, double since) const {
  for (std::size_t c = 0; c < m_channels.size(); ++c) {
    const ChannelHealth& o = m_channels[c];
    if (c != self && o.group == m_channels[self].group && o.seen && !o.dropout &&
        o.runStart_s > since)
      return true;
  }
  return false;
}

std::optional<double> SensorHealth::consensus(std::span<const int> pressureChannels,
                                              std::span<const BlockMean> means, std::size_t* used) {
  m_scratch.clear();
  for (int c : pressureChannels) {
    const BlockMean& b = means[static_cast<std::size_t>(c)];
    if (channel(c).healthy() && b.has) m_scratch.push_back(b.value - channel(c).offset);
  }
  if (used != nullptr) *used = m_scratch.size();
  if (m_scratch.empty()) return std::nullopt;
  return medianOf(m_scratch);
}

void SensorHealth::checkBiasJumps(std::span<const int> pressureChannels,
                                  std::span<const BlockMean> means, double consensus,
                                  std::size_t used, bool transient, double blockStart_s) {
  for (int c : pressureChannels) {
    ChannelHealth& ch = channel(c);
    const BlockMean& b = means[static_cast<std::size_t>(c)];
    if (!ch.healthy() || !b.has) continue;
    const double dev = b.value - ch.offset - consensus;
    if (!ch.offsetKnown) {
      ch.offset = b.value - consensus;
      ch.offsetKnown = true;
      continue;
    }
    if (transient || used < 3) continue;
    const double limit =
        std::max(m_options.biasJumpSigmas * ch.blockNoise * 1.5, m_options.biasJumpMin_pa);
    if (std::abs(dev) > limit) {
      ch.biased = true;
      start(c, SensorFaultKind::BiasJump, blockStart_s, dev, nullptr);
    }
  }
}

}  // namespace leakhunt::detect
