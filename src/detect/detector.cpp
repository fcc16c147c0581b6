#include "detect/detector.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <numbers>
#include <unordered_map>

#include "detect/machine_rate.hpp"
#include "detect/pressure_rate.hpp"
#include "detect/report_sizing.hpp"
#include "detect/sizing.hpp"
#include "detect/station_segments.hpp"
#include "detect/trace_budget.hpp"
#include "gas/humidity.hpp"
#include "gas/species.hpp"
#include "model/steady_air.hpp"
#include "network/segments.hpp"

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

namespace {

constexpr int kNone = -1;

// Samples later (or earlier) than this many seconds from 1970 are ignored: about 31,700 years,
// where block starts in doubles are still good to a millisecond. Physical ranges are the
// server's to check (docs/server.md); this only keeps the block grid a grid.
constexpr double kLatestTime_s = 1e12;
// Below this fraction of the nominal cabin pressure a segment has emptied: 7.6 mmHg in a 1 atm
// cabin, far under any crew limit, far over the noise of a cabin sensor at vacuum.
constexpr double kVacuumFraction = 0.01;

enum class ChannelKind { Ignored, Pressure, Temperature, PpO2, HatchState };

struct ChannelState {
  ChannelKind kind = ChannelKind::Ignored;
  int target = kNone;  // module, or hatch for HatchState
  double period_s = 1.0;
  double blockNoise = 0.0;  // sd of a block mean [SI]
  // Latest sample and the run of identical values.
  bool seen = false;
  double lastValue = 0.0, lastTime_s = 0.0, runStart_s = 0.0;
  int runLength = 0;
  // This block.
  double blockSum = 0.0;
  int blockCount = 0;
  double blockMean = 0.0;
  bool hasBlockMean = false;
  // Health.
  bool dropout = false, stuck = false, biased = false;
  int dropoutFault = kNone, stuckFault = kNone;
  double offset = 0.0;  // pressure: this sensor minus the segment consensus
  bool offsetKnown = false;
  bool healthy() const { return !dropout && !stuck && !biased; }
};

struct SegmentState {
  std::vector<int> modules;
  double since_s = 0.0;
  double volume_m3 = 0.0;
  SlopeChangeTest test;
  // Inventory bookkeeping.
  bool havePrevious = false;
  uint64_t previousSignature = 0;
  double previousInventory_kg = 0.0;
  double residual_kg = 0.0, tau_s = 0.0;
  double pressure_pa = 0.0, temperature_k = 0.0, inventory_kg = 0.0, ppO2_pa = 0.0;
  double sources_kg_s = 0.0;
  double traceSources_kg_s = 0.0;  // CO2 and H2O made minus removed this block, as cabin air
  double lastStatistic = 0.0;
  // The fast rate of a big leak (issue 20).
  PressureRateTrack pressureRate;
  // Alarm.
  bool alarmed = false;
  uint64_t earliestOnset = 0;
  bool flatAlarm = false;  // raised by the slow branch: estimates against a flat baseline
  LeakReport report;
  int life = -1;           // numbers the segment's life in the residual stream
  double lastTau_s = 0.0;  // the effective time of its last point in the stream

  SegmentState(const SlopeChangeOptions& o, double white, double wanderRate, double wanderLevel)
      : test(o, white, wanderRate, wanderLevel) {}
};

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h;
}

double quantisedSd(double noise, double resolution) {
  return std::sqrt(noise * noise + resolution * resolution / 12.0);
}

}  // namespace

struct Detector::Impl {
  const model::Station station;
  LoggedEvents log;
  DetectorOptions options;
  DetectionObserver* observer;
  model::Limits limits;
  CabinAir cabin;

  std::vector<ChannelState> channels;
  std::vector<int> pressureChannelsOf, temperatureChannelOf, ppO2ChannelOf;  // per module
  std::vector<std::vector<int>> pressureChannels;                            // per module
  std::vector<bool> hatchOpen;
  std::vector<int> crewModule;
  // CO2 and H2O in each module's air [kg], as the scrubbers and the crew move them: a segment
  // the crew has left keeps losing these for hours while its scrubbers draw them down.
  std::array<std::vector<double>, 2> traceMass_kg;
  bool traceStarted = false;
  std::vector<SensorFault> faults;
  std::vector<double> moduleTemperature_k;   // in use
  std::vector<int> moduleTemperatureSource;  // channel, or -1 set point, -2 held
  std::vector<double> heldTemperature_k;
  std::vector<int> segmentOfModule;
  std::vector<std::unique_ptr<SegmentState>> segments;
  std::vector<double> scratch;  // medians
  // Every member list a segment ever had, kept so that reports' spans stay valid.
  std::vector<std::unique_ptr<const std::vector<int>>> memberLists;
  LogCursor logCursor;
  bool started = false, topologyChanged = true, topologyChangedLastBlock = false;
  double blockStart_s = 0.0, blockEnd_s = 0.0;
  int detections = 0;
  int lives = 0;
  bool finishing = false;

  Impl(const model::Station& st, const std::vector<std::string>& names, LoggedEvents l,
       DetectorOptions o, DetectionObserver* obs)
      : station(st), log(boundedLog(std::move(l))), options(o), observer(obs) {
    options.test.period_s = options.blockPeriod_s;
    options.test.falseAlarmRate_per_s = options.falseAlarmRate_per_s;
    limits = station.limits.value_or(model::Limits{});
    cabin = cabinAirOf(station);
    const std::size_t nm = station.modules.size();
    for (std::size_t i = 0; i < nm; ++i)
      moduleById.emplace(station.modules[i].id, static_cast<int>(i));
    for (std::size_t h = 0; h < station.hatches.size(); ++h)
      hatchById.emplace(station.hatches[h].id, static_cast<int>(h));
    for (const model::Sensor& s : station.sensors)
      sensorByChannel[s.channel] = &s;  // the last wins
    pressureChannels.assign(nm, {});
    temperatureChannelOf.assign(nm, kNone);
    ppO2ChannelOf.assign(nm, kNone);
    moduleTemperature_k.resize(nm);
    moduleTemperatureSource.assign(nm, kNone);
    heldTemperature_k.assign(nm, 0.0);
    for (std::size_t i = 0; i < nm; ++i) moduleTemperature_k[i] = setPoint(static_cast<int>(i));
    lifeSupportOf.assign(nm, {});
    for (std::size_t l = 0; l < station.lifeSupport.size(); ++l) {
      const int m = moduleIndex(station.lifeSupport[l].module);
      if (m != kNone) lifeSupportOf[static_cast<std::size_t>(m)].push_back(l);
    }
    hatchOpen.resize(station.hatches.size());
    for (std::size_t h = 0; h < station.hatches.size(); ++h) hatchOpen[h] = station.hatches[h].open;
    for (const model::CrewMember& c : station.crew) crewModule.push_back(moduleIndex(c.location));
    channels.resize(names.size());
    for (std::size_t c = 0; c < names.size(); ++c) configureChannel(static_cast<int>(c), names[c]);
    scratch.reserve(names.size() + 1);
    faults.reserve(64);
  }

  // The inventory counts moles, as the mass of cabin air that holds them (M = p V / (R_mix T)).
  // A kilogram of species `sp` added to the gas counts as M_air / M_sp kilograms of cabin air.
  double airEquivalent(gas::Species sp) const {
    return gas::gasConstant(gas::index(sp)) / cabin.r_j_kgk;
  }

  // Ids to indices by hash: channel set-up and every segment rebuild look them up, and a
  // linear search made both grow as modules squared (docs/scale.md).
  std::unordered_map<std::string, int> moduleById, hatchById;
  std::unordered_map<std::string, const model::Sensor*> sensorByChannel;
  int moduleIndex(const std::string& id) const {
    const auto it = moduleById.find(id);
    return it == moduleById.end() ? kNone : it->second;
  }
  int hatchIndex(const std::string& id) const {
    const auto it = hatchById.find(id);
    return it == hatchById.end() ? kNone : it->second;
  }
  double setPoint(int m) const {
    return station.modules[static_cast<std::size_t>(m)].temperature_k.value_or(
        station.atmosphere.temperature_k);
  }

  void configureChannel(int c, const std::string& name) {
    ChannelState& ch = channels[static_cast<std::size_t>(c)];
    const auto found = sensorByChannel.find(name);
    const model::Sensor* sensor = found == sensorByChannel.end() ? nullptr : found->second;
    model::Sensor inferred;
    if (sensor == nullptr) {
      const auto dot = name.rfind('.');
      if (dot == std::string::npos) return;
      const std::string owner = name.substr(0, dot), quantity = name.substr(dot + 1);
      inferred.module = owner;
      if (quantity == "pressure") {
        inferred.quantity = model::Quantity::Pressure;
      } else if (quantity == "temperature") {
        inferred.quantity = model::Quantity::Temperature;
      } else if (quantity == "ppO2") {
        inferred.quantity = model::Quantity::PartialPressureO2;
      } else if (quantity == "hatch_state") {
        inferred.quantity = model::Quantity::HatchState;
      } else {
        return;
      }
      sensor = &inferred;
    }
    ch.period_s = sensor->period_s > 0.0 ? sensor->period_s : 1.0;
    const double perBlock = std::max(1.0, options.blockPeriod_s / ch.period_s);
    ch.blockNoise = quantisedSd(sensor->noise, sensor->resolution) / std::sqrt(perBlock);
    switch (sensor->quantity) {
      case model::Quantity::HatchState:
        ch.target = hatchIndex(sensor->module);
        if (ch.target != kNone) ch.kind = ChannelKind::HatchState;
        return;
      case model::Quantity::Pressure:
        ch.kind = ChannelKind::Pressure;
        break;
      case model::Quantity::Temperature:
        ch.kind = ChannelKind::Temperature;
        break;
      case model::Quantity::PartialPressureO2:
        ch.kind = ChannelKind::PpO2;
        break;
      default:
        return;
    }
    ch.target = moduleIndex(sensor->module);
    if (ch.target == kNone) {
      ch.kind = ChannelKind::Ignored;
      return;
    }
    const std::size_t m = static_cast<std::size_t>(ch.target);
    if (ch.kind == ChannelKind::Pressure) pressureChannels[m].push_back(c);
    if (ch.kind == ChannelKind::Temperature && temperatureChannelOf[m] == kNone)
      temperatureChannelOf[m] = c;
    if (ch.kind == ChannelKind::PpO2 && ppO2ChannelOf[m] == kNone) ppO2ChannelOf[m] = c;
  }

  // ---- per sample: arithmetic only ----

  void onSample(const telemetry::Sample& s) {
    // A time off the block grid a double can count (or NaN) has no block to go in.
    if (!(std::abs(s.time_s) <= kLatestTime_s)) return;
    if (!started) {
      started = true;
      blockStart_s = std::floor(s.time_s / options.blockPeriod_s) * options.blockPeriod_s;
      blockEnd_s = blockStart_s + options.blockPeriod_s;
    }
    if (s.time_s >= blockEnd_s) closeBlocksBefore(s.time_s);
    if (s.channel < 0 || static_cast<std::size_t>(s.channel) >= channels.size()) return;
    ChannelState& ch = channels[static_cast<std::size_t>(s.channel)];
    if (ch.kind == ChannelKind::Ignored || !std::isfinite(s.value)) return;
    if (ch.dropout) endFault(ch.dropoutFault, s.time_s, ch.dropout);
    if (!ch.seen || s.value != ch.lastValue) {
      if (ch.stuck) endFault(ch.stuckFault, s.time_s, ch.stuck);
      ch.runStart_s = s.time_s;
      ch.runLength = 0;
    }
    ++ch.runLength;
    ch.seen = true;
    ch.lastValue = s.value;
    ch.lastTime_s = s.time_s;
    ch.blockSum += s.value;
    ++ch.blockCount;
    if (ch.kind == ChannelKind::HatchState) {
      const bool open = s.value >= 0.5;
      if (hatchOpen[static_cast<std::size_t>(ch.target)] != open) {
        hatchOpen[static_cast<std::size_t>(ch.target)] = open;
        topologyChanged = true;
      }
    }
  }

  void startFault(int channel, SensorFaultKind kind, double t, double magnitude, int* slot) {
    faults.push_back({channel, kind, t, t, true, magnitude});
    if (slot != nullptr) *slot = static_cast<int>(faults.size()) - 1;
    if (observer != nullptr) observer->onSensorFault(faults.back());
  }

  void endFault(int& slot, double t, bool& flag) {
    flag = false;
    if (slot == kNone) return;
    SensorFault& f = faults[static_cast<std::size_t>(slot)];
    f.end_s = t;
    f.ongoing = false;
    slot = kNone;
    if (observer != nullptr) observer->onSensorFault(f);
  }

  // ---- per block ----

  // Closes the block in progress and every block before the one holding `time_s`. A gap
  // costs O(1), not a pass per empty block: a sample at 1e300 s once looped here for ever.
  // Only quiet blocks are skipped, those with no sample and no logged hatch or crew change:
  // the first of a run and the last are closed in full (that is where dropouts are found),
  // the ones between only age the trace gases, which skipQuietBlocks does in one step.
  void closeBlocksBefore(double time_s) {
    int closed = 0;  // the first block closed here holds the data so far, the rest none
    while (time_s >= blockEnd_s) {
      if (closed >= 2) {
        const double quiet = quietBlocksAhead(time_s);
        if (quiet >= 2.0) skipQuietBlocks(quiet - 1.0);
      }
      closeBlock();
      ++closed;
    }
  }

  // Whole blocks from blockStart_s that end by `time_s` and before the next logged hatch or
  // crew move (which closeBlock must apply in its own block).
  double quietBlocksAhead(double time_s) const {
    double until = time_s;
    if (logCursor.hatch < log.hatches.size())
      until = std::min(until, log.hatches[logCursor.hatch].time_s);
    if (logCursor.crewMove < log.crewMoves.size())
      until = std::min(until, log.crewMoves[logCursor.crewMove].time_s);
    return std::max(0.0, std::floor((until - blockStart_s) / options.blockPeriod_s));
  }

  // `n` blocks without a sample or a logged event after an empty block was closed in full:
  // block means, faults, temperatures and segments stay as that block left them (no sensor
  // has a mean, so no segment takes a step); only the trace gases go on (in closed form).
  void skipQuietBlocks(double n) {
    advanceTraceGases(n * options.blockPeriod_s);
    topologyChangedLastBlock = false;
    blockStart_s += n * options.blockPeriod_s;
    blockEnd_s = blockStart_s + options.blockPeriod_s;
  }

  void closeBlock() {
    for (ChannelState& ch : channels) {
      ch.hasBlockMean = ch.blockCount > 0;
      if (ch.hasBlockMean) ch.blockMean = ch.blockSum / ch.blockCount;
    }
    checkDropoutAndStuck();
    applyLoggedEvents();
    const bool changedThisBlock = topologyChanged;
    if (topologyChanged) rebuildSegments();
    topologyChanged = false;
    checkBiasJumps(changedThisBlock || topologyChangedLastBlock);
    updateTemperatures();
    advanceTraceGases(options.blockPeriod_s);
    for (std::unique_ptr<SegmentState>& seg : segments) stepSegment(*seg, changedThisBlock);
    topologyChangedLastBlock = changedThisBlock;
    publishResiduals();
    for (ChannelState& ch : channels) {
      ch.blockSum = 0.0;
      ch.blockCount = 0;
    }
    blockStart_s = blockEnd_s;
    blockEnd_s += options.blockPeriod_s;
  }

  // The per-block residual stream (segment_residual.hpp): read-only over the block's results.
  void publishResiduals() {
    if (observer == nullptr) return;
    for (std::unique_ptr<SegmentState>& seg : segments) {
      SegmentResidual r;
      r.life = seg->life;
      r.modules = seg->modules;
      r.since_s = seg->since_s;
      r.blockEnd_s = blockEnd_s;
      r.time_s = blockEnd_s - 0.5 * options.blockPeriod_s;
      r.tau_s = seg->tau_s;
      r.advanced = seg->tau_s > seg->lastTau_s;
      seg->lastTau_s = std::max(seg->lastTau_s, seg->tau_s);
      r.residual_kg = seg->residual_kg;
      r.pressure_pa = seg->pressure_pa;
      r.inventory_kg = seg->inventory_kg;
      r.noise = {seg->test.whiteSigma(), seg->test.wanderRateSigma(), options.test.wanderPeriod_s};
      observer->onResidual(r);
    }
  }

  // A log entry while running: in order, and only for the block in progress or later.
  bool takes(double time_s) const { return !started || time_s >= blockStart_s; }
  template <class Entry>
  static void insertInOrder(std::vector<Entry>& list, const Entry& e, double Entry::*time) {
    const auto at = std::upper_bound(list.begin(), list.end(), e.*time,
                                     [&](double t, const Entry& x) { return t < x.*time; });
    list.insert(at, e);
  }

  void checkDropoutAndStuck() {
    for (std::size_t c = 0; c < channels.size(); ++c) {
      ChannelState& ch = channels[c];
      if (ch.kind == ChannelKind::Ignored || ch.kind == ChannelKind::HatchState || !ch.seen)
        continue;
      const double silence = std::max(options.dropoutAfter_s, 10.0 * ch.period_s);
      if (!finishing && !ch.dropout && blockEnd_s - ch.lastTime_s > silence) {
        ch.dropout = true;
        startFault(static_cast<int>(c), SensorFaultKind::Dropout, ch.lastTime_s, 0.0,
                   &ch.dropoutFault);
      }
      const double still = std::max(options.stuckAfter_s, 10.0 * ch.period_s);
      if (!ch.stuck && !ch.dropout && ch.lastTime_s - ch.runStart_s >= still &&
          othersMoved(c, ch.runStart_s)) {
        ch.stuck = true;
        startFault(static_cast<int>(c), SensorFaultKind::Stuck, ch.runStart_s, 0.0, &ch.stuckFault);
      }
    }
  }

  // Another live sensor of the same quantity changed its value after `since`.
  bool othersMoved(std::size_t self, double since) const {
    for (std::size_t c = 0; c < channels.size(); ++c) {
      const ChannelState& o = channels[c];
      if (c != self && o.kind == channels[self].kind && o.seen && !o.dropout &&
          o.runStart_s > since)
        return true;
    }
    return false;
  }

  void applyLoggedEvents() {
    if (applyLogged(log, blockEnd_s, logCursor, hatchOpen, crewModule)) topologyChanged = true;
  }

  void rebuildSegments() {
    const network::Segmentation seg = segmentsOf(station, hatchOpen);
    std::vector<std::unique_ptr<SegmentState>> next;
    for (const std::vector<int>& members : seg.members) {
      std::unique_ptr<SegmentState> kept;
      for (std::unique_ptr<SegmentState>& old : segments)
        if (old && old->modules == members) kept = std::move(old);
      if (!kept) {
        kept = newSegment(members);
        continueMergedHistory(*kept);
      }
      next.push_back(std::move(kept));
    }
    segments = std::move(next);
    segmentOfModule = seg.segmentOf;
    // The air each open hatch exchanges, by segment (advanceModules).
    exchangeOf.assign(segments.size(), {});
    for (std::size_t h = 0; h < station.hatches.size(); ++h) {
      const model::Hatch& hatch = station.hatches[h];
      const int a = moduleIndex(hatch.moduleA), b = moduleIndex(hatch.moduleB);
      if (!hatchOpen[h] || a == kNone || b == kNone || a == b || hatch.ventilation_m3_s <= 0.0)
        continue;
      exchangeOf[static_cast<std::size_t>(segmentOfModule[static_cast<std::size_t>(a)])].push_back(
          {static_cast<std::size_t>(a), static_cast<std::size_t>(b), hatch.ventilation_m3_s});
    }
    if (observer != nullptr) observer->onSegmentsChanged(blockStart_s);
  }

  // A segment made only of whole old segments (hatches reopened) continues their residual
  // history: without it, every reopening started a fresh hour of reference, and the merged
  // segment's first hours were where most false alarms fell (docs/detection.md). A segment
  // that splits an old one has no history of its own to continue, and starts afresh; so does
  // one with an alarmed part, or after a patch.
  void continueMergedHistory(SegmentState& merged) const {
    // A patch logged within the reference a merged history would carry: the parts' histories
    // hold a leak that is no more, and a fit across it reads a slope change that is not there.
    for (const LoggedPatch& p : log.patches)
      if (p.time_s <= blockStart_s && p.time_s > blockStart_s - options.test.maxReference_s) return;
    std::vector<const SegmentState*> parts;
    std::size_t covered = 0;
    for (const std::unique_ptr<SegmentState>& old : segments) {
      if (!old) continue;
      const auto inMerged = [&](int m) {
        return std::find(merged.modules.begin(), merged.modules.end(), m) != merged.modules.end();
      };
      const std::size_t inside = static_cast<std::size_t>(
          std::count_if(old->modules.begin(), old->modules.end(), inMerged));
      if (inside == 0) continue;
      if (inside != old->modules.size()) return;  // a split: no whole history to continue
      // A part with a leak already reported: the merged history would re-raise that leak as
      // new (even after its patch); the merged segment starts afresh, as it always did.
      if (old->alarmed) return;
      parts.push_back(old.get());
      covered += inside;
    }
    if (parts.size() < 2 || covered != merged.modules.size()) return;
    // The largest part leads the effective time.
    std::stable_sort(parts.begin(), parts.end(), [](const SegmentState* a, const SegmentState* b) {
      return a->volume_m3 > b->volume_m3;
    });
    std::vector<const SlopeChangeTest*> tests;
    for (const SegmentState* p : parts) tests.push_back(&p->test);
    merged.test.continueFrom(tests);
    merged.tau_s = merged.test.lastTau();
    merged.residual_kg = merged.test.lastValue();
  }

  std::unique_ptr<SegmentState> newSegment(const std::vector<int>& members) {
    // Prior white noise of the block inventory from the sensor specifications, and the wander
    // of the sources' rates from their stated spreads (docs/detection.md).
    double volume = 0.0, inventory = 0.0, tempVar = 0.0, tempWander = 0.0;
    double pressureNoise = 0.0;
    int pressureSensors = 0;
    const double p = station.atmosphere.pressure_pa;
    for (int m : members) {
      const std::size_t i = static_cast<std::size_t>(m);
      const double v = station.modules[i].volume_m3, t = setPoint(m);
      const double mi = p * v / (cabin.r_j_kgk * t);
      volume += v;
      inventory += mi;
      if (temperatureChannelOf[i] != kNone) {
        const double s = channels[static_cast<std::size_t>(temperatureChannelOf[i])].blockNoise;
        tempVar += (mi * s / t) * (mi * s / t);
      }
      const double u = station.temperatureUnmeasured_k / t;
      tempWander += (mi * u) * (mi * u);
      for (int c : pressureChannels[i]) {
        pressureNoise += channels[static_cast<std::size_t>(c)].blockNoise;
        ++pressureSensors;
      }
    }
    double pVar = 0.0;
    if (pressureSensors > 0) {
      const double s = pressureNoise / pressureSensors * 1.25 / std::sqrt(pressureSensors);
      pVar = (inventory * s / p) * (inventory * s / p);
    }
    const double white = std::max(std::sqrt(pVar + tempVar), 1e-6 * inventory);
    const double omega = 2.0 * std::numbers::pi / options.test.wanderPeriod_s;
    double sourceVar = 0.0;
    const auto inSegment = [&](const std::string& id) {
      const int m = moduleIndex(id);
      return std::find(members.begin(), members.end(), m) != members.end();
    };
    for (const model::LifeSupport& ls : station.lifeSupport) {
      if (!inSegment(ls.module)) continue;
      const double rate = machineAirRate_kg_s(station, ls, p, cabin.r_j_kgk);
      sourceVar += (ls.spread_fraction * rate) * (ls.spread_fraction * rate);
    }
    const model::Metabolism& met = station.metabolism;
    const double crewNet = met.co2Production_kg_s * airEquivalent(gas::Species::CO2) +
                           met.h2oProduction_kg_s * airEquivalent(gas::Species::H2O) -
                           met.o2Consumption_kg_s * airEquivalent(gas::Species::O2);
    for (std::size_t c = 0; c < crewModule.size(); ++c)
      if (std::find(members.begin(), members.end(), crewModule[c]) != members.end())
        sourceVar += (met.spread_fraction * crewNet) * (met.spread_fraction * crewNet);
    const double wanderVar = sourceVar + tempWander * omega * omega;
    // Level wander: the unseen gas temperature, plus the integral of the sources' wander.
    const double levelVar = tempWander + sourceVar / (omega * omega);
    auto s = std::make_unique<SegmentState>(options.test, white, std::sqrt(wanderVar),
                                            std::sqrt(levelVar));
    s->modules = members;
    s->life = lives++;
    s->since_s = blockStart_s;
    s->volume_m3 = volume;
    return s;
  }

  // A pressure sensor whose block mean leaves the segment's consensus (the median of the
  // others, each less its usual offset) by far more than its noise has had a bias jump.
  void checkBiasJumps(bool transient) {
    for (std::unique_ptr<SegmentState>& seg : segments) {
      if (!consensusPressure(*seg)) continue;
      const double median = seg->pressure_pa;
      for (int m : seg->modules)
        for (int c : pressureChannels[static_cast<std::size_t>(m)]) {
          ChannelState& ch = channels[static_cast<std::size_t>(c)];
          if (!ch.healthy() || !ch.hasBlockMean) continue;
          const double dev = ch.blockMean - ch.offset - median;
          if (!ch.offsetKnown) {
            ch.offset = ch.blockMean - median;
            ch.offsetKnown = true;
            continue;
          }
          if (transient || scratch.size() < 3) continue;
          const double limit =
              std::max(options.biasJumpSigmas * ch.blockNoise * 1.5, options.biasJumpMin_pa);
          if (std::abs(dev) > limit) {
            ch.biased = true;
            startFault(c, SensorFaultKind::BiasJump, blockStart_s, dev, nullptr);
          }
        }
    }
  }

  // Median over the segment's healthy pressure sensors with a block mean, less their offsets.
  // Leaves the values used in `scratch`. False when no sensor reported.
  bool consensusPressure(SegmentState& seg) {
    scratch.clear();
    for (int m : seg.modules)
      for (int c : pressureChannels[static_cast<std::size_t>(m)]) {
        const ChannelState& ch = channels[static_cast<std::size_t>(c)];
        if (ch.healthy() && ch.hasBlockMean) scratch.push_back(ch.blockMean - ch.offset);
      }
    if (scratch.empty()) return false;
    const std::size_t n = scratch.size(), mid = n / 2;
    std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(mid),
                     scratch.end());
    double median = scratch[mid];
    if (n % 2 == 0) {
      const double lower =
          *std::max_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(mid));
      median = 0.5 * (median + lower);
    }
    seg.pressure_pa = median;
    return true;
  }

  void updateTemperatures() {
    for (std::size_t i = 0; i < station.modules.size(); ++i) {
      const int c = temperatureChannelOf[i];
      if (c != kNone) {
        const ChannelState& ch = channels[static_cast<std::size_t>(c)];
        if (ch.healthy() && ch.hasBlockMean) {
          moduleTemperature_k[i] = heldTemperature_k[i] = ch.blockMean;
          moduleTemperatureSource[i] = c;
          continue;
        }
        if (heldTemperature_k[i] > 0.0) {
          moduleTemperature_k[i] = heldTemperature_k[i];
          moduleTemperatureSource[i] = -2;
          continue;
        }
      }
      moduleTemperature_k[i] = setPoint(static_cast<int>(i));
      moduleTemperatureSource[i] = kNone;
    }
  }

  // Nominal known sources and sinks of a segment [kg/s]. Each module's air is well mixed: its
  // crew make CO2 (H2O) at P, its removers take k m (k = sum(flow * efficiency) / V), its
  // condensing heat exchangers take the vapour above their coil's dew point, water above
  // saturation at its coldest surface condenses (trace_budget.hpp), and each open hatch
  // exchanges its ventilation both ways. Without condensation a crewed Soyuz with no dryer,
  // saturated once its hatch was shut, read as a leak of 1.8 kg/day per person; with it but one
  // well-mixed volume per segment, its small descent module saturated minutes before the
  // segment did and the drill still read a leak there. The first block starts every module at
  // the station's steady state (model/steady_air.hpp: the station has run for days).
  static constexpr std::array<gas::Species, 2> kTrace{gas::Species::CO2, gas::Species::H2O};
  struct Exchange {
    std::size_t a = 0, b = 0;
    double flow_m3_s = 0.0;
  };
  std::vector<std::vector<Exchange>> exchangeOf;        // per segment, set by rebuildSegments
  std::vector<std::vector<TraceFloor>> coilsOf;         // per module, scratch
  std::vector<TraceBudget> budgetOf;                    // per module, scratch
  std::vector<double> exchanged;                        // per module, scratch
  std::vector<std::vector<std::size_t>> lifeSupportOf;  // per module: its machines

  // Over `dt`: one block, or a run of quiet blocks at once.
  void advanceTraceGases(double dt) {
    if (!traceStarted) startTraceGases();
    const model::Metabolism& met = station.metabolism;
    const double production[2] = {met.co2Production_kg_s, met.h2oProduction_kg_s};
    std::vector<int> crew(station.modules.size(), 0);
    for (int m : crewModule)
      if (m >= 0 && static_cast<std::size_t>(m) < crew.size()) ++crew[static_cast<std::size_t>(m)];
    for (std::size_t g = 0; g < segments.size(); ++g) {
      SegmentState& seg = *segments[g];
      seg.traceSources_kg_s = 0.0;
      for (std::size_t k = 0; k < kTrace.size(); ++k) {
        const bool water = kTrace[k] == gas::Species::H2O;
        for (int i : seg.modules)
          budgets(static_cast<std::size_t>(i), water,
                  crew[static_cast<std::size_t>(i)] * production[k]);
        std::vector<double>& mass = traceMass_kg[k];
        double before = 0.0, after = 0.0;
        for (int i : seg.modules) before += mass[static_cast<std::size_t>(i)];
        advanceModules(seg, g < exchangeOf.size() ? exchangeOf[g] : std::vector<Exchange>{}, mass,
                       dt);
        for (int i : seg.modules) after += mass[static_cast<std::size_t>(i)];
        if (traceStarted) seg.traceSources_kg_s += (after - before) / dt * airEquivalent(kTrace[k]);
      }
    }
    traceStarted = true;
  }

  // Every module at the steady state of its declared life support, crew and hatches. Where
  // nothing removes the species, as the described atmosphere holds it (water at most saturated):
  // how far it has risen since depends on how long the station has run, which the detector
  // does not know; starting such a station saturated read a drill's short spin-up's still
  // rising vapour as gas gained, and cornered the wrong module (tests/ops).
  void startTraceGases() {
    const model::SteadyAir air = model::steadyAir(station);
    for (std::size_t k = 0; k < kTrace.size(); ++k) {
      const std::size_t sp = gas::index(kTrace[k]);
      const double r = gas::gasConstant(sp);
      std::vector<double>& mass = traceMass_kg[k];
      mass.assign(station.modules.size(), 0.0);
      for (std::size_t i = 0; i < station.modules.size(); ++i) {
        const bool water = kTrace[k] == gas::Species::H2O;
        double pp = water ? air.ppH2o_pa[i] : air.ppCo2_pa[i];
        const double described =
            station.atmosphere.pressure_pa * station.atmosphere.composition[sp];
        if (!std::isfinite(pp) || (water && !air.waterRemoved[i])) pp = std::min(pp, described);
        const double t = model::gasTemperature(station, i);
        mass[i] = pp * station.modules[i].volume_m3 / (r * t);
      }
    }
  }

  // Exchange through the segment's hatches (explicit, in steps short against each module's
  // exchange time) and, within each step, each module's own budget in closed form. A gap of
  // many quiet blocks, where no increment is read, is taken as one well-mixed volume.
  void advanceModules(const SegmentState& seg, const std::vector<Exchange>& links,
                      std::vector<double>& mass, double dt) {
    exchanged.assign(station.modules.size(), 0.0);
    for (const Exchange& e : links) {
      exchanged[e.a] += e.flow_m3_s;
      exchanged[e.b] += e.flow_m3_s;
    }
    double h = dt;
    for (int i : seg.modules) {
      const auto m = static_cast<std::size_t>(i);
      if (exchanged[m] > 0.0) h = std::min(h, 0.5 * station.modules[m].volume_m3 / exchanged[m]);
    }
    constexpr double kMaxSteps = 2000.0;
    if (dt / h > kMaxSteps) {
      // One well-mixed volume: the sum of the modules' budgets.
      TraceBudget sum;
      double total = 0.0;
      coilScratch.clear();
      sum.cap_kg = 0.0;
      for (int i : seg.modules) {
        const auto m = static_cast<std::size_t>(i);
        const TraceBudget& b = budgetOf[m];
        const double v = station.modules[m].volume_m3;
        sum.production_kg_s += b.production_kg_s;
        sum.linearRate_per_s += b.linearRate_per_s * v / seg.volume_m3;
        for (const TraceFloor& c : b.coils)
          coilScratch.push_back({c.rate_per_s * v / seg.volume_m3, c.floor_kg * seg.volume_m3 / v});
        sum.cap_kg += b.cap_kg;
        total += mass[m];
      }
      sum.coils = coilScratch;
      total = advanceTrace(sum, total, dt);
      for (int i : seg.modules)
        mass[static_cast<std::size_t>(i)] =
            total * station.modules[static_cast<std::size_t>(i)].volume_m3 / seg.volume_m3;
      return;
    }
    const int steps = static_cast<int>(std::ceil(dt / h - 1e-9));
    h = dt / steps;
    for (int step = 0; step < steps; ++step) {
      for (const Exchange& e : links) {
        const double flow = e.flow_m3_s * h *
                            (mass[e.a] / station.modules[e.a].volume_m3 -
                             mass[e.b] / station.modules[e.b].volume_m3);
        mass[e.a] -= flow;
        mass[e.b] += flow;
      }
      for (int i : seg.modules) {
        const auto m = static_cast<std::size_t>(i);
        mass[m] = advanceTrace(budgetOf[m], mass[m], h);
      }
    }
  }

  // Module i's declared removers of CO2 (water: also its coils and its saturation), per
  // docs/simulator.md, into budgetOf[i] (its coils in coilsOf[i]).
  void budgets(std::size_t i, bool water, double made) {
    const model::LifeSupportKind remover =
        water ? model::LifeSupportKind::H2oRemoval : model::LifeSupportKind::Co2Removal;
    constexpr std::size_t kWater = gas::index(gas::Species::H2O);
    coilsOf.resize(station.modules.size());
    budgetOf.resize(station.modules.size());
    const double v = station.modules[i].volume_m3;
    const double t = moduleTemperature_k[i];
    TraceBudget& b = budgetOf[i];
    b = TraceBudget{};
    b.production_kg_s = made;
    coilsOf[i].clear();
    for (std::size_t l : lifeSupportOf[i]) {
      const model::LifeSupport& ls = station.lifeSupport[l];
      if (ls.kind != remover) continue;
      const double rate = ls.flow_m3_s * ls.efficiency / v;
      if (!water || !ls.coilTemperature_k) {
        b.linearRate_per_s += rate;
        continue;
      }
      // The coil's outlet, saturated at the coil, reheated to the module's gas temperature.
      const double density =
          gas::saturationPressure(*ls.coilTemperature_k) / (gas::gasConstant(kWater) * t);
      coilsOf[i].push_back({rate, density * v});
    }
    b.coils = coilsOf[i];
    if (!water) return;
    // Saturation at the module's coldest surface (declared, else its gas temperature).
    const double surface = station.modules[i].coldestSurface_k.value_or(t);
    b.cap_kg = gas::saturationPressure(surface) * v / (gas::gasConstant(kWater) * t);
  }
  std::vector<TraceFloor> coilScratch;

  double knownSources(const SegmentState& seg) const {
    const auto inSeg = [&](int m) {
      return std::find(seg.modules.begin(), seg.modules.end(), m) != seg.modules.end();
    };
    // CO2 and H2O: what the crew make less what the removers take (advanceTraceGases).
    double s = seg.traceSources_kg_s;
    for (const model::LifeSupport& ls : station.lifeSupport) {
      if (!inSeg(moduleIndex(ls.module))) continue;
      if (ls.kind == model::LifeSupportKind::O2Generation)
        s += ls.rate_kg_s * airEquivalent(gas::Species::O2);
      else if (ls.kind == model::LifeSupportKind::Vent)
        s -= ls.rate_kg_s;
    }
    const model::Metabolism& met = station.metabolism;
    for (int m : crewModule)
      if (inSeg(m)) s -= met.o2Consumption_kg_s * airEquivalent(gas::Species::O2);
    return s;
  }

  // A logged repress into the segment overlapping this block or the one before. The log is
  // bounded (boundedLog: no repress lasts over kMaxRepressDuration_s), so only those starting
  // within that much before are looked at, found by bisection: a long log costs log(n).
  bool repressNear(const SegmentState& seg) const {
    const double from = blockStart_s - options.blockPeriod_s;
    const auto first =
        std::lower_bound(log.represses.begin(), log.represses.end(), from - kMaxRepressDuration_s,
                         [](const LoggedRepress& r, double t) { return r.start_s < t; });
    for (auto r = first; r != log.represses.end() && r->start_s < blockEnd_s; ++r) {
      if (r->end_s < from) continue;
      if (std::find(seg.modules.begin(), seg.modules.end(), r->module) != seg.modules.end())
        return true;
    }
    return false;
  }

  void stepSegment(SegmentState& seg, bool topologyChangedNow) {
    const bool newlyFormed = topologyChangedNow && seg.since_s == blockStart_s;
    if (!consensusPressure(seg)) {
      seg.havePrevious = false;
      return;
    }
    uint64_t signature = 0;
    double capacity = 0.0, volumeOverT = 0.0, ppO2Sum = 0.0;
    int ppO2Count = 0;
    for (int m : seg.modules) {
      const std::size_t i = static_cast<std::size_t>(m);
      for (int c : pressureChannels[i]) {
        const ChannelState& ch = channels[static_cast<std::size_t>(c)];
        if (ch.healthy() && ch.hasBlockMean) signature = mix(signature, static_cast<uint64_t>(c));
      }
      signature = mix(signature, static_cast<uint64_t>(moduleTemperatureSource[i] + 3));
      const double v = station.modules[i].volume_m3;
      capacity += v / (cabin.r_j_kgk * moduleTemperature_k[i]);
      volumeOverT += v / moduleTemperature_k[i];
      const int o = ppO2ChannelOf[i];
      if (o != kNone) {
        const ChannelState& ch = channels[static_cast<std::size_t>(o)];
        if (ch.healthy() && ch.hasBlockMean) {
          ppO2Sum += ch.blockMean;
          ++ppO2Count;
        }
      }
    }
    seg.inventory_kg = seg.pressure_pa * capacity;
    seg.temperature_k = seg.volume_m3 / volumeOverT;
    seg.ppO2_pa = ppO2Count > 0 ? ppO2Sum / ppO2Count : cabin.o2MoleFraction * seg.pressure_pa;
    seg.sources_kg_s = knownSources(seg);
    // An increment counts only between two clean blocks with the same sensors in use, no
    // logged repress near, and no hatch change: anything else is a free step in the level.
    const bool clean = !newlyFormed && !topologyChangedNow;
    const bool valid =
        clean && seg.havePrevious && seg.previousSignature == signature && !repressNear(seg);
    seg.pressureRate.push(blockStart_s, options.blockPeriod_s, seg.inventory_kg,
                          seg.sources_kg_s * options.blockPeriod_s, valid);
    if (valid) {
      seg.residual_kg +=
          seg.inventory_kg - seg.previousInventory_kg - seg.sources_kg_s * options.blockPeriod_s;
      seg.tau_s += options.blockPeriod_s;
      const SlopeChangeDecision d =
          seg.test.push(seg.tau_s, seg.residual_kg, blockStart_s + 0.5 * options.blockPeriod_s);
      seg.lastStatistic = d.z;
      if (!seg.alarmed && (d.alarm || d.slowAlarm)) raiseAlarm(seg, d);
      if (seg.alarmed) updateReport(seg, false);
    }
    seg.havePrevious = clean;
    seg.previousSignature = signature;
    seg.previousInventory_kg = seg.inventory_kg;
  }

  std::span<const int> internMembers(const std::vector<int>& members) {
    for (const auto& list : memberLists)
      if (*list == members) return *list;
    memberLists.push_back(std::make_unique<const std::vector<int>>(members));
    return *memberLists.back();
  }

  void raiseAlarm(SegmentState& seg, const SlopeChangeDecision& d) {
    seg.alarmed = true;
    const SlopeChangeWindow& w = seg.test.window();
    const uint64_t onset = d.alarm ? d.onset : d.slowOnset;
    seg.earliestOnset = w.firstAtOrAfter(w.tau(onset) - options.onsetSearch_s);
    seg.flatAlarm = !d.alarm;
    LeakReport& r = seg.report;
    r.detection = detections++;
    r.modules = internMembers(seg.modules);
    r.alarmTime_s = blockEnd_s;
    r.statistic = d.alarm ? d.z : d.slowZ;
    r.threshold = d.alarm ? seg.test.threshold() : seg.test.slowThreshold();
    updateReport(seg, true);
  }

  void updateReport(SegmentState& seg, bool alarmNow) {
    LossEstimate est = seg.flatAlarm ? seg.test.estimateFlat(seg.earliestOnset)
                                     : seg.test.estimate(seg.earliestOnset);
    if (!est.valid) return;
    LeakReport& r = seg.report;
    // A hole that empties the segment leaves nothing to measure: at vacuum the inventory no
    // longer falls, and a fit over it once gave a negative rate and a NaN or zero CdA. Keep the
    // onset and rate estimated while there was gas (a lower bound: the gas left faster than the
    // blocks could see), and size the hole at the cabin's nominal pressure, where it started.
    const bool vacuum = seg.pressure_pa < kVacuumFraction * station.atmosphere.pressure_pa;
    if (vacuum && r.rate_kg_s > 0.0) {
      est.onsetTime_s = r.onsetTime_s;
      est.onsetLow_s = r.onsetLow_s;
      est.onsetHigh_s = r.onsetHigh_s;
      est.rate = std::max(est.rate, r.rate_kg_s);
      est.rateSigma = r.rateSigma_kg_s;
    }
    const double rate = vacuum ? std::max(est.rate, 0.0) : est.rate;
    r.time_s = blockEnd_s;
    r.onsetTime_s = est.onsetTime_s;
    r.onsetLow_s = est.onsetLow_s;
    r.onsetHigh_s = est.onsetHigh_s;
    r.pressure_pa = seg.pressure_pa;
    r.temperature_k = seg.temperature_k;
    r.inventory_kg = seg.inventory_kg;
    r.volume_m3 = seg.volume_m3;
    r.ppO2_pa = seg.ppO2_pa;
    r.cd = options.cd;
    // An emptied segment has no pressure rate left to read.
    chooseRate(r, rate, est.rateSigma, vacuum ? PressureRate{} : seg.pressureRate.estimate());
    SizingInput in = cabinSizingInput(cabin, limits, options.cd);
    in.rate_kg_s = r.rate_kg_s;
    in.rateSigma_kg_s = r.rateSigma_kg_s;
    in.pressure_pa = vacuum ? station.atmosphere.pressure_pa : seg.pressure_pa;
    in.temperature_k = seg.temperature_k;
    in.inventory_kg = seg.inventory_kg;
    in.ppO2_pa = seg.ppO2_pa;
    addRepressTanks(in, station, seg.modules);
    applySizing(r, in);
    if (observer == nullptr) return;
    if (alarmNow)
      observer->onAlarm(r);
    else
      observer->onEstimate(r);
  }
};

Detector::Detector(const model::Station& station, const std::vector<std::string>& channelNames,
                   LoggedEvents log, DetectorOptions options, DetectionObserver* observer)
    : m_impl(std::make_unique<Impl>(station, channelNames, std::move(log), options, observer)) {}

Detector::~Detector() = default;

void Detector::onSample(const telemetry::Sample& sample) { m_impl->onSample(sample); }

void Detector::finish() {
  if (!m_impl->started) return;
  m_impl->finishing = true;  // the data end here: silence after the last sample is no dropout
  m_impl->closeBlock();
}

bool Detector::addLogged(const LoggedHatch& entry) {
  if (!std::isfinite(entry.time_s) || !m_impl->takes(entry.time_s)) return false;
  Impl::insertInOrder(m_impl->log.hatches, entry, &LoggedHatch::time_s);
  return true;
}

bool Detector::addLogged(const LoggedCrewMove& entry) {
  if (!std::isfinite(entry.time_s) || !m_impl->takes(entry.time_s)) return false;
  Impl::insertInOrder(m_impl->log.crewMoves, entry, &LoggedCrewMove::time_s);
  return true;
}

bool Detector::addLogged(const LoggedPatch& entry) {
  if (!std::isfinite(entry.time_s) || !m_impl->takes(entry.time_s)) return false;
  Impl::insertInOrder(m_impl->log.patches, entry, &LoggedPatch::time_s);
  return true;
}

bool Detector::addLogged(const LoggedRepress& entry) {
  // Bounded as boundedLog bounds a log given at the start.
  LoggedEvents one;
  one.represses.push_back(entry);
  one = boundedLog(std::move(one));
  if (one.represses.empty() || !m_impl->takes(one.represses.front().start_s)) return false;
  Impl::insertInOrder(m_impl->log.represses, one.represses.front(), &LoggedRepress::start_s);
  return true;
}

double Detector::threshold() const {
  const DetectorOptions& o = m_impl->options;
  return normalUpperQuantile(o.falseAlarmRate_per_s * (1.0 - o.test.slowShare) * o.blockPeriod_s /
                             o.test.effectiveTests);
}

std::vector<SegmentStatus> Detector::segments() const {
  std::vector<SegmentStatus> out;
  for (const auto& seg : m_impl->segments) {
    SegmentStatus s;
    s.modules = seg->modules;
    s.since_s = seg->since_s;
    s.volume_m3 = seg->volume_m3;
    s.pressure_pa = seg->pressure_pa;
    s.temperature_k = seg->temperature_k;
    s.inventory_kg = seg->inventory_kg;
    s.residual_kg = seg->residual_kg;
    s.history_s = seg->tau_s;
    s.whiteSigma_kg = seg->test.whiteSigma();
    s.wanderRateSigma_kg_s = seg->test.wanderRateSigma();
    s.knownSources_kg_s = seg->sources_kg_s;
    s.statistic = seg->lastStatistic;
    s.threshold = seg->test.threshold();
    s.alarmed = seg->alarmed;
    out.push_back(s);
  }
  return out;
}

}  // namespace leakhunt::detect
