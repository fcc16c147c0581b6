// Whether a sensor's readings can be trusted (issue 12's split of detector.cpp): the dropout,
// stuck-sensor and bias-jump checks, shared by both detectors (detector.hpp's slope-change
// books and books_detector.hpp's state-space books). A channel found faulty is reported once
// when the fault starts and once when it ends, and is left out of the segment's consensus
// pressure while it lasts. No I/O; nothing allocates per sample.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "model/station.hpp"

namespace leakhunt::detect {

enum class SensorFaultKind { Dropout, Stuck, BiasJump };
const char* toString(SensorFaultKind kind);

struct SensorFault {
  int channel = -1;
  SensorFaultKind kind = SensorFaultKind::Dropout;
  double start_s = 0.0;  // Unix time
  double end_s = 0.0;    // Unix time; equal to start_s while ongoing (see `ongoing`)
  bool ongoing = true;
  double magnitude = 0.0;  // bias jump size [SI unit of the channel], else 0
};

struct SensorHealthOptions {
  double dropoutAfter_s = 30.0;  // no samples for max(this, 10 periods): dropout
  double stuckAfter_s = 180.0;   // identical values for this long while others move: stuck
  double biasJumpSigmas = 10.0;  // a pressure sensor off the segment consensus by this many sd
  double biasJumpMin_pa = 30.0;  // ... and at least this much: bias jump
};

// One channel as the checks see it.
struct ChannelHealth {
  // Channels of one group measure one quantity (a stuck sensor is one that holds still while
  // another of its group moves); -1: not checked (hatch states, channels nobody reads).
  int group = -1;
  double period_s = 1.0;
  double blockNoise = 0.0;  // sd of a block mean [SI]
  // Latest sample and the run of identical values.
  bool seen = false;
  double lastValue = 0.0, lastTime_s = 0.0, runStart_s = 0.0;
  int runLength = 0;
  bool dropout = false, stuck = false, biased = false;
  int dropoutFault = -1, stuckFault = -1;  // index into the fault list while ongoing
  double offset = 0.0;  // a pressure sensor's usual offset from its segment's consensus
  bool offsetKnown = false;
  bool healthy() const { return !dropout && !stuck && !biased; }
};

// A channel's mean over the block just closed, when it has one.
struct BlockMean {
  bool has = false;
  double value = 0.0;
};

// The median of `values` (reordered): the mean of the two middle ones for an even count.
double medianOf(std::vector<double>& values);

// The sd of one sensor's mean over a block of `blockPeriod_s`: its white noise and its
// quantisation (resolution^2 / 12), averaged over the samples the block holds.
double sensorBlockNoise(const model::Sensor& sensor, double blockPeriod_s);

class SensorHealth {
 public:
  using FaultSink = std::function<void(const SensorFault&)>;
  // `sink` hears each fault as it starts and as it ends (may be empty).
  SensorHealth(SensorHealthOptions options, std::size_t channels, FaultSink sink);

  ChannelHealth& channel(int c) { return m_channels[static_cast<std::size_t>(c)]; }
  const ChannelHealth& channel(int c) const { return m_channels[static_cast<std::size_t>(c)]; }
  bool healthy(int c) const { return channel(c).healthy(); }
  // Channel `c` reads `sensor` into `group` (sensors of one quantity), in blocks of
  // `blockPeriod_s`: its period and its block mean's sd (noise and quantisation).
  void describe(int c, int group, const model::Sensor& sensor, double blockPeriod_s);
  const std::vector<SensorFault>& faults() const { return m_faults; }

  // A finite sample of a read channel: ends its dropout, and its stuck run if the value moved.
  void onSample(int c, double time_s, double value);
  // At a block's end: channels silent too long have dropped out; those that held one value
  // while another of their group moved are stuck. `finishing`: the data end here, so the
  // silence after the last sample is no dropout.
  void checkDropoutAndStuck(double blockEnd_s, bool finishing);
  // The segment's consensus pressure: the median of `pressureChannels`' healthy block means,
  // each less its usual offset. Nothing when none has a mean. `used` gets how many counted.
  std::optional<double> consensus(std::span<const int> pressureChannels,
                                  std::span<const BlockMean> means, std::size_t* used = nullptr);
  // A pressure sensor whose block mean leaves `consensus` (from `used` sensors) by far more
  // than its noise has had a bias jump (from `blockStart_s`). A sensor seen for the first time
  // learns its offset instead. Nothing is judged while `transient` (a hatch moved: the parts'
  // pressures are still equalising) or with fewer than three sensors to outvote one.
  void checkBiasJumps(std::span<const int> pressureChannels, std::span<const BlockMean> means,
                      double consensus, std::size_t used, bool transient, double blockStart_s);

 private:
  void start(int c, SensorFaultKind kind, double t, double magnitude, int* slot);
  void end(int& slot, double t, bool& flag);
  bool othersMoved(std::size_t self, double since) const;

  SensorHealthOptions m_options;
  std::vector<ChannelHealth> m_channels;
  std::vector<SensorFault> m_faults;
  std::vector<double> m_scratch;
  FaultSink m_sink;
};

}  // namespace leakhunt::detect
