#include "detect/detector.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

#include "detect/block_mean.hpp"
#include "detect/emptied_segment.hpp"
#include "detect/logged_gas.hpp"
#include "detect/machine_rate.hpp"
#include "detect/ppo2_level.hpp"
#include "detect/pressure_rate.hpp"
#include "detect/report_sizing.hpp"
#include "detect/residual_noise.hpp"
#include "detect/segment_watch.hpp"
#include "detect/sensor_health.hpp"
#include "detect/sizing.hpp"
#include "detect/station_segments.hpp"
#include "detect/trace_gases.hpp"
#include "gas/species.hpp"
#include "network/segments.hpp"

namespace leakhunt::detect {

namespace {

constexpr int kNone = -1;

// Samples later (or earlier) than this many seconds from 1970 are ignored: about 31,700 years,
// where block starts in doubles are still good to a millisecond. Physical ranges are the
// server's to check (docs/server.md); this only keeps the block grid a grid.
constexpr double kLatestTime_s = 1e12;
// A repress's allowance slot stays busy this long beyond the longest fit's span after its end:
// the span is in effective time, which runs slower than the clock across dropped blocks.
constexpr double kSlotMargin_s = 12.0 * 3600.0;

enum class ChannelKind { Ignored, Pressure, Temperature, PpO2, HatchState };

// A channel's role; its health (dropout, stuck, bias, offset) is in SensorHealth.
struct ChannelState {
  ChannelKind kind = ChannelKind::Ignored;
  int target = kNone;  // module, or hatch for HatchState
  // This block.
  double blockSum = 0.0;
  int blockCount = 0;
  int fullCount = 0;  // the most samples a block has had (block_mean.hpp)
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
  double ppO2Low_pa = 0.0;  // for the reserve's lower bound (ppo2_level.hpp)
  double sources_kg_s = 0.0;
  double traceSources_kg_s = 0.0;  // CO2 and H2O made minus removed this block, as cabin air
  // The creep allowance (issue 18): what a cabin just filled would gain beyond the known
  // sources this block, and its sum over the blocks the residual counts, times the prior's sd.
  double creepRate_kg_s = 0.0;
  double creep_kg = 0.0;
  // Seeing through a logged repress (docs/detection.md, session 19): the inventory summed module
  // by module, which holds the repress gas from the block it comes in (the consensus pressure
  // reads it only as it spreads), and each repress's mass-error allowance in a slot of its own,
  // busy while a fit can still span it.
  bool havePreviousModuleSum = false;
  double previousModuleSum_kg = 0.0;
  SlopeChangeTest::EventAllowances events_kg{};
  std::array<double, SlopeChangeTest::kEventAllowances> slotBusyUntil_s{};
  struct RepressSlot {
    double start_s = 0.0;
    int module = -1;
    std::size_t slot = 0;
  };
  std::vector<RepressSlot> repressSlots;
  // What the increments seen through represses added to residual_kg and tau_s. The residual
  // stream leaves them out (segment_residual.hpp): its readers (verification, the trend, the
  // onset forensics, the localisation's readings) carry no allowance for a logged mass's error,
  // so for them a repress stays a free step in the level, as it always was.
  double seenThrough_kg = 0.0, seenThrough_s = 0.0;
  double lastStatistic = 0.0;
  // The fast rate of a big leak (issue 20).
  PressureRateTrack pressureRate;
  // What its hole showed while the segment held gas (emptied_segment.hpp, issue 20).
  EmptyingRecord emptying;
  double pressureRateFloor_kg_s = 0.0;  // report_sizing.hpp, from the segment's wanders
  // Alarm.
  bool alarmed = false;
  uint64_t earliestOnset = 0;
  bool flatAlarm = false;  // raised by the slow branch: estimates against a flat baseline
  // When a leak was last reported in this segment or in any it was formed from (-inf: never).
  double reportedLeak_s = -std::numeric_limits<double>::infinity();
  LeakReport report;
  int life = -1;           // numbers the segment's life in the residual stream
  double lastTau_s = 0.0;  // the effective time of its last point in the stream

  SegmentState(const SlopeChangeOptions& o, const ResidualNoisePrior& noise)
      : test(o, noise.white_kg, noise.wander) {}
};

bool holdsModule(const SegmentState& seg, int m) {
  return std::find(seg.modules.begin(), seg.modules.end(), m) != seg.modules.end();
}

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h;
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
  std::vector<BlockMean> blockMeans;  // per channel, of the block just closed
  SensorHealth health;
  TraceGases trace;
  // The same gases started as the station file's atmosphere describes them (TraceStart): the
  // station may not be at its balance yet, by a fraction of that gap (kTraceBalanceFraction).
  // Run only when the file leaves a trace gas out (otherwise the two are the same).
  TraceGases unsettled;
  bool creepAllowed;
  std::vector<std::vector<int>> segmentMembers;  // per segment, as `segments`
  std::vector<double> traceSources;              // per segment, scratch
  std::vector<double> unsettledSources;          // per segment, scratch
  // Each module's ppO2 above its group's mean at the declared balance (ppo2_level.hpp).
  std::vector<double> o2Offset_pa;
  std::vector<int> channelScratch;  // a segment's pressure channels
  std::vector<int> moduleScratch;   // a module's
  RepressGas repressGas;            // a logged repress's gas as cabin air, and its error
  std::vector<int> pressureChannelsOf, temperatureChannelOf, ppO2ChannelOf;  // per module
  std::vector<std::vector<int>> pressureChannels;                            // per module
  std::vector<bool> hatchOpen;
  std::vector<int> crewModule;
  std::vector<int> machineModule;            // per Station::lifeSupport
  std::vector<double> moduleTemperature_k;   // in use
  std::vector<int> moduleTemperatureSource;  // channel, or -1 set point, -2 held
  std::vector<double> heldTemperature_k;
  std::vector<int> segmentOfModule;
  std::vector<std::unique_ptr<SegmentState>> segments;
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
      : station(st),
        log(boundedLog(std::move(l))),
        options(o),
        observer(obs),
        health(healthOptions(o), names.size(),
               [obs](const SensorFault& f) {
                 if (obs != nullptr) obs->onSensorFault(f);
               }),
        trace(station, cabinAirOf(st).r_j_kgk),
        unsettled(station, cabinAirOf(st).r_j_kgk, TraceStart::AsFilled),
        creepAllowed(TraceGases::leavesOutATraceGas(st)),
        o2Offset_pa(sensedPpO2Offsets_pa(st)),
        repressGas(st, cabinAirOf(st).r_j_kgk) {
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
    hatchOpen.resize(station.hatches.size());
    for (std::size_t h = 0; h < station.hatches.size(); ++h) hatchOpen[h] = station.hatches[h].open;
    for (const model::CrewMember& c : station.crew) crewModule.push_back(moduleIndex(c.location));
    machineModule = machineModules(station);
    channels.resize(names.size());
    blockMeans.resize(names.size());
    for (std::size_t c = 0; c < names.size(); ++c) configureChannel(static_cast<int>(c), names[c]);
    channelScratch.reserve(names.size());
  }

  static SensorHealthOptions healthOptions(const DetectorOptions& o) {
    return {o.dropoutAfter_s, o.stuckAfter_s, o.biasJumpSigmas, o.biasJumpMin_pa};
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
    health.describe(c, static_cast<int>(ch.kind), *sensor, options.blockPeriod_s);
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
    health.onSample(s.channel, s.time_s, s.value);
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
    for (std::size_t c = 0; c < channels.size(); ++c) {
      ChannelState& ch = channels[c];
      blockMeans[c].has = blockMeanReadable(ch.blockCount, ch.fullCount);
      if (blockMeans[c].has) blockMeans[c].value = ch.blockSum / ch.blockCount;
    }
    health.checkDropoutAndStuck(blockEnd_s, finishing);
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
      r.tau_s = seg->tau_s - seg->seenThrough_s;
      r.advanced = r.tau_s > seg->lastTau_s;
      seg->lastTau_s = std::max(seg->lastTau_s, r.tau_s);
      r.residual_kg = seg->residual_kg - seg->seenThrough_kg;
      r.pressure_pa = seg->pressure_pa;
      r.inventory_kg = seg->inventory_kg;
      r.noise = {seg->test.whiteSigma(), seg->test.envelope().rate_kg_s,
                 seg->test.envelope().level_kg, options.test.wanderPeriod_s};
      r.statistic = seg->lastStatistic;
      r.alarmed = seg->alarmed;
      observer->onResidual(r);
    }
  }

  // A log entry while running: only for the block in progress or later.
  double takesFrom() const {
    return started ? blockStart_s : -std::numeric_limits<double>::infinity();
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
        inheritReportedLeak(*kept);
        continueMergedHistory(*kept);
        continueSplitHistory(*kept);
      }
      next.push_back(std::move(kept));
    }
    segments = std::move(next);
    segmentOfModule = seg.segmentOf;
    segmentMembers = seg.members;
    trace.setSegments(segmentOfModule, segments.size(), hatchOpen);
    if (creepAllowed) unsettled.setSegments(segmentOfModule, segments.size(), hatchOpen);
    if (observer != nullptr) observer->onSegmentsChanged(blockStart_s);
  }

  // A segment made only of whole old segments (hatches reopened) continues their residual
  // history: without it, every reopening started a fresh hour of reference, and the merged
  // segment's first hours were where most false alarms fell (docs/detection.md). A segment
  // that splits an old one has no history of its own to continue, and starts afresh; so does
  // one with an alarmed part, or after a patch.
  void continueMergedHistory(SegmentState& merged) const {
    if (patchWithinReference()) return;
    std::vector<const SegmentState*> parts;
    std::size_t covered = 0;
    for (const std::unique_ptr<SegmentState>& old : segments) {
      if (!old) continue;
      const std::size_t inside = static_cast<std::size_t>(std::count_if(
          old->modules.begin(), old->modules.end(), [&](int m) { return holdsModule(merged, m); }));
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
    merged.creep_kg = merged.test.lastCreep();
    merged.events_kg = merged.test.lastEvents();
    // A slot busy in any part stays busy; two parts' represses in one slot count as one
    // amplitude from here on (their series are summed).
    for (const SegmentState* p : parts) {
      for (std::size_t e = 0; e < merged.slotBusyUntil_s.size(); ++e)
        merged.slotBusyUntil_s[e] = std::max(merged.slotBusyUntil_s[e], p->slotBusyUntil_s[e]);
      merged.repressSlots.insert(merged.repressSlots.end(), p->repressSlots.begin(),
                                 p->repressSlots.end());
    }
  }

  // A patch logged within the reference a continued history would carry: the old histories
  // hold a leak that is no more, and a fit across it reads a slope change that is not there.
  bool patchWithinReference() const {
    for (const LoggedPatch& p : log.patches)
      if (p.time_s <= blockStart_s && p.time_s > blockStart_s - options.test.maxReference_s)
        return true;
    return false;
  }

  // A segment formed from others holds whatever leak they reported.
  void inheritReportedLeak(SegmentState& formed) const {
    for (const std::unique_ptr<SegmentState>& old : segments)
      if (old && std::any_of(formed.modules.begin(), formed.modules.end(),
                             [&](int m) { return holdsModule(*old, m); }))
        formed.reportedLeak_s = std::max(formed.reportedLeak_s, old->reportedLeak_s);
  }

  // A leak reported in the segment's lineage and not patched since (by the log).
  bool holdsUnpatchedLeak(const SegmentState& seg) const {
    if (seg.reportedLeak_s == -std::numeric_limits<double>::infinity()) return false;
    for (const LoggedPatch& p : log.patches)
      if (p.time_s > seg.reportedLeak_s && p.time_s <= blockStart_s) return false;
    return true;
  }

  // A segment cut from a larger one (a hatch closed) continues the whole's residual history,
  // scaled by its share of the whole's inventory. Without it the part started afresh and a
  // hole that opened as the hatch closed was a slope with no reference before it: the slow
  // branch found a 2 mm hole 3 h late (issue 21 item 1). The share is what a well-mixed whole
  // gives the part of a slow wander of its inventory: its share of volume over temperature.
  // Not while a leak reported in the whole's lineage is unpatched: the part that holds it would
  // see the whole's share of it become all of it, and raise it again (the demo story did, three
  // times, during its isolations); such a split starts afresh, as every split did before. Nor
  // across a logged patch, as for a merge.
  void continueSplitHistory(SegmentState& part) const {
    if (part.test.window().size() > 0 || patchWithinReference()) return;  // or continued as a merge
    for (const std::unique_ptr<SegmentState>& old : segments) {
      if (!old || old->modules.size() <= part.modules.size()) continue;
      if (!std::all_of(part.modules.begin(), part.modules.end(),
                       [&](int m) { return holdsModule(*old, m); }))
        continue;
      if (old->alarmed || holdsUnpatchedLeak(*old)) return;
      double partShare = 0.0, whole = 0.0;  // volume over temperature, as stepSegment's
      for (int m : old->modules) {
        const std::size_t i = static_cast<std::size_t>(m);
        const double c = station.modules[i].volume_m3 / moduleTemperature_k[i];
        whole += c;
        if (holdsModule(part, m)) partShare += c;
      }
      part.test.continueAsPart(old->test, partShare / whole);
      part.tau_s = part.test.lastTau();
      part.residual_kg = part.test.lastValue();
      part.creep_kg = part.test.lastCreep();
      part.events_kg = part.test.lastEvents();
      part.slotBusyUntil_s = old->slotBusyUntil_s;
      part.repressSlots = old->repressSlots;
      return;
    }
  }

  std::unique_ptr<SegmentState> newSegment(const std::vector<int>& members) {
    // The residual's noise from the station's declared sensors and sources (residual_noise.hpp).
    const ResidualNoisePrior noise =
        residualNoisePrior(station, cabin.r_j_kgk, members, temperatureChannelOf, pressureChannels,
                           health, crewModule, machineModule, options.test.wanderPeriod_s);
    double volume = 0.0;
    for (int m : members) volume += station.modules[static_cast<std::size_t>(m)].volume_m3;
    auto s = std::make_unique<SegmentState>(options.test, noise);
    s->modules = members;
    s->life = lives++;
    s->since_s = blockStart_s;
    s->volume_m3 = volume;
    s->pressureRateFloor_kg_s = pressureRateFloor_kg_s(noise.wander, options.blockPeriod_s);
    return s;
  }

  // Bias jumps against each segment's consensus (sensor_health.hpp).
  void checkBiasJumps(bool transient) {
    for (std::unique_ptr<SegmentState>& seg : segments) {
      std::size_t used = 0;
      if (!consensusPressure(*seg, &used)) continue;
      health.checkBiasJumps(channelScratch, blockMeans, seg->pressure_pa, used, transient,
                            blockStart_s);
    }
  }

  // The consensus of the segment's healthy pressure sensors with a block mean, into
  // seg.pressure_pa; its channels are left in `channelScratch`. False when no sensor reported.
  bool consensusPressure(SegmentState& seg, std::size_t* used = nullptr) {
    channelScratch.clear();
    for (int m : seg.modules)
      for (int c : pressureChannels[static_cast<std::size_t>(m)]) channelScratch.push_back(c);
    const std::optional<double> p = health.consensus(channelScratch, blockMeans, used);
    if (!p) return false;
    seg.pressure_pa = *p;
    return true;
  }

  void updateTemperatures() {
    for (std::size_t i = 0; i < station.modules.size(); ++i) {
      const int c = temperatureChannelOf[i];
      if (c != kNone) {
        const BlockMean& b = blockMeans[static_cast<std::size_t>(c)];
        if (health.healthy(c) && b.has) {
          moduleTemperature_k[i] = heldTemperature_k[i] = b.value;
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

  // The crew's CO2 and H2O less what the removers, coils and cold walls take, per module, with
  // each open hatch's exchange (trace_gases.hpp), over `dt`: one block, or a run of quiet
  // blocks at once.
  void advanceTraceGases(double dt) {
    trace.advance(dt, segmentMembers, moduleTemperature_k, crewModule, traceSources);
    for (std::size_t g = 0; g < segments.size(); ++g)
      segments[g]->traceSources_kg_s = traceSources[g];
    if (!creepAllowed) return;
    unsettled.advance(dt, segmentMembers, moduleTemperature_k, crewModule, unsettledSources);
    for (std::size_t g = 0; g < segments.size(); ++g)
      segments[g]->creepRate_kg_s = unsettledSources[g] - traceSources[g];
  }

  double knownSources(const SegmentState& seg) const {
    return segmentKnownSources_kg_s(station, cabin.r_j_kgk, machineModule, seg.modules, crewModule,
                                    seg.traceSources_kg_s);
  }

  // A logged repress into the segment overlapping this block or the one before.
  bool repressNear(const SegmentState& seg) const {
    return repressInto(log, seg.modules, blockStart_s - options.blockPeriod_s, blockEnd_s);
  }

  void stepSegment(SegmentState& seg, bool topologyChangedNow) {
    const bool newlyFormed = topologyChangedNow && seg.since_s == blockStart_s;
    if (!consensusPressure(seg)) {
      seg.havePrevious = false;
      return;
    }
    uint64_t signature = 0;
    double capacity = 0.0, volumeOverT = 0.0;
    PpO2Readings ppO2;
    double leastO2_pa = std::numeric_limits<double>::infinity();
    for (int m : seg.modules)
      leastO2_pa = std::min(leastO2_pa, o2Offset_pa[static_cast<std::size_t>(m)]);
    for (int m : seg.modules) {
      const std::size_t i = static_cast<std::size_t>(m);
      for (int c : pressureChannels[i]) {
        if (health.healthy(c) && blockMeans[static_cast<std::size_t>(c)].has)
          signature = mix(signature, static_cast<uint64_t>(c));
      }
      signature = mix(signature, static_cast<uint64_t>(moduleTemperatureSource[i] + 3));
      const double v = station.modules[i].volume_m3;
      capacity += v / (cabin.r_j_kgk * moduleTemperature_k[i]);
      volumeOverT += v / moduleTemperature_k[i];
      const int o = ppO2ChannelOf[i];
      if (o != kNone) {
        const BlockMean& b = blockMeans[static_cast<std::size_t>(o)];
        if (health.healthy(o) && b.has)
          ppO2.add(b.value, health.channel(o).blockNoise, o2Offset_pa[i] - leastO2_pa);
      }
    }
    seg.inventory_kg = seg.pressure_pa * capacity;
    seg.temperature_k = seg.volume_m3 / volumeOverT;
    const PpO2Level o2 = ppO2.level(cabin.o2MoleFraction * seg.pressure_pa);
    seg.ppO2_pa = o2.value_pa;
    seg.ppO2Low_pa = o2.low_pa;
    seg.sources_kg_s = knownSources(seg);
    const double moduleSum = moduleSumInventory(seg);
    // An increment counts only between two clean blocks with the same sensors in use and no
    // hatch change: anything else is a free step in the level. Near a logged repress it counts
    // the module sum's increment less the logged gas, with the mass error's allowance, when
    // every module it comes into has its own pressure and a slot is free; else it is a free
    // step too.
    const bool clean = !newlyFormed && !topologyChangedNow;
    const bool steady = clean && seg.havePrevious && seg.previousSignature == signature;
    const bool near = repressNear(seg);
    LoggedInputs logged;
    const bool seeThrough =
        steady && near && seg.havePreviousModuleSum && loggedRepresses(seg, logged);
    const bool valid = steady && (!near || seeThrough);
    seg.pressureRate.push(blockStart_s, options.blockPeriod_s, seg.inventory_kg,
                          seg.sources_kg_s * options.blockPeriod_s, steady && !near);
    seg.emptying.observe(seg.pressureRate, seg.pressure_pa, seg.temperature_k, seg.volume_m3,
                         station.atmosphere.pressure_pa, cabin.r_j_kgk);
    if (valid) {
      const double increment = seeThrough ? moduleSum - seg.previousModuleSum_kg - logged.air_kg
                                          : seg.inventory_kg - seg.previousInventory_kg;
      seg.residual_kg += increment - seg.sources_kg_s * options.blockPeriod_s;
      seg.tau_s += options.blockPeriod_s;
      if (seeThrough) {
        seg.seenThrough_kg += increment - seg.sources_kg_s * options.blockPeriod_s;
        seg.seenThrough_s += options.blockPeriod_s;
      }
      seg.creep_kg += kTraceBalanceFraction * seg.creepRate_kg_s * options.blockPeriod_s;
      for (std::size_t e = 0; e < seg.events_kg.size(); ++e) seg.events_kg[e] += logged.sigma_kg[e];
      const SlopeChangeDecision d =
          seg.test.push(seg.tau_s, seg.residual_kg, blockStart_s + 0.5 * options.blockPeriod_s,
                        seg.creep_kg, seg.pressure_pa, seg.events_kg);
      seg.lastStatistic = d.z;
      if (!seg.alarmed && (d.alarm || d.slowAlarm)) raiseAlarm(seg, d);
      if (seg.alarmed) updateReport(seg, false);
    }
    seg.havePrevious = clean;
    seg.previousSignature = signature;
    seg.previousInventory_kg = seg.inventory_kg;
    seg.havePreviousModuleSum = clean;
    seg.previousModuleSum_kg = moduleSum;
  }

  // The segment's inventory as the sum of its modules', each at its own sensors' consensus (a
  // module without a healthy one at the segment's): the gas a repress lets into one module
  // counts from the block it comes in.
  double moduleSumInventory(const SegmentState& seg) {
    double sum = 0.0;
    for (int m : seg.modules) {
      const std::size_t i = static_cast<std::size_t>(m);
      const std::optional<double> p = modulePressure(m);
      sum += p.value_or(seg.pressure_pa) * station.modules[i].volume_m3 /
             (cabin.r_j_kgk * moduleTemperature_k[i]);
    }
    return sum;
  }

  // The consensus of a module's own healthy pressure sensors this block.
  std::optional<double> modulePressure(int m) {
    moduleScratch.clear();
    for (int c : pressureChannels[static_cast<std::size_t>(m)]) moduleScratch.push_back(c);
    return health.consensus(moduleScratch, blockMeans);
  }

  // What the logged represses into a segment let in between the last block and this one, as
  // cabin air, and each one's mass error in its slot.
  struct LoggedInputs {
    double air_kg = 0.0;
    SlopeChangeTest::EventAllowances sigma_kg{};
  };

  // False when one cannot be seen through: its module has no pressure of its own this block, or
  // no slot is free for its error.
  bool loggedRepresses(SegmentState& seg, LoggedInputs& in) {
    const double period = options.blockPeriod_s;
    const double span = options.test.maxTest_s + options.test.maxReference_s + kSlotMargin_s;
    // A repress whose slot has come free is out of every fit: forget it, so a segment that runs
    // for months keeps a list of days, not one entry per repress it ever saw.
    std::erase_if(seg.repressSlots, [&](const SegmentState::RepressSlot& s) {
      return seg.slotBusyUntil_s[s.slot] <= blockStart_s;
    });
    for (const LoggedRepress& r : log.represses) {
      if (r.start_s >= blockEnd_s) break;  // in start order
      if (r.end_s < blockStart_s - period || !holdsModule(seg, r.module)) continue;
      if (!modulePressure(r.module)) return false;
      const double share = meanDeliveredShare(r, blockStart_s, blockEnd_s) -
                           meanDeliveredShare(r, blockStart_s - period, blockStart_s);
      const auto own = std::find_if(seg.repressSlots.begin(), seg.repressSlots.end(),
                                    [&](const SegmentState::RepressSlot& s) {
                                      return s.start_s == r.start_s && s.module == r.module;
                                    });
      std::size_t slot = 0;
      if (own != seg.repressSlots.end()) {
        slot = own->slot;
      } else {
        const auto free = std::find_if(seg.slotBusyUntil_s.begin(), seg.slotBusyUntil_s.end(),
                                       [&](double until) { return until <= blockStart_s; });
        if (free == seg.slotBusyUntil_s.end()) return false;
        slot = static_cast<std::size_t>(free - seg.slotBusyUntil_s.begin());
        seg.repressSlots.push_back({r.start_s, r.module, slot});
      }
      seg.slotBusyUntil_s[slot] = std::max(seg.slotBusyUntil_s[slot], r.end_s + span);
      const LoggedGas gas = repressGas.of(r);
      in.air_kg += share * r.mass_kg * gas.airEquivalent;
      in.sigma_kg[slot] += share * gas.sigma_kg(r.mass_kg);
    }
    return true;
  }

  std::span<const int> internMembers(const std::vector<int>& members) {
    for (const auto& list : memberLists)
      if (*list == members) return *list;
    memberLists.push_back(std::make_unique<const std::vector<int>>(members));
    return *memberLists.back();
  }

  void raiseAlarm(SegmentState& seg, const SlopeChangeDecision& d) {
    seg.alarmed = true;
    seg.reportedLeak_s = blockEnd_s;
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
    // onset estimated while there was gas, and size the hole as EmptyingRecord::size says.
    const bool vacuum = isEmptied(seg.pressure_pa, station.atmosphere.pressure_pa);
    if (vacuum && r.rate_kg_s > 0.0) {
      est.onsetTime_s = r.onsetTime_s;
      est.onsetLow_s = r.onsetLow_s;
      est.onsetHigh_s = r.onsetHigh_s;
    }
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
    SizingInput in = cabinSizingInput(cabin, limits, options.cd);
    in.temperature_k = seg.temperature_k;
    in.inventory_kg = seg.inventory_kg;
    in.ppO2_pa = seg.ppO2_pa;
    in.ppO2Low_pa = seg.ppO2Low_pa;
    in.levelAge_s = 0.5 * options.blockPeriod_s;  // block means, the report at the block's end
    addRepressTanks(in, station, seg.modules);
    if (vacuum) {
      seg.emptying.size(r, in, est.rate, seg.pressureRateFloor_kg_s,
                        station.atmosphere.pressure_pa);
    } else {
      chooseRate(r, est.rate, est.rateSigma, seg.pressureRate.estimate(),
                 seg.pressureRateFloor_kg_s);
      seg.emptying.noteReport(r, seg.pressure_pa, station.atmosphere.pressure_pa);
      in.rate_kg_s = r.rate_kg_s;
      in.rateSigma_kg_s = r.rateSigma_kg_s;
      in.rateHighest_kg_s = r.rateHighest_kg_s;
      in.pressure_pa = seg.pressure_pa;
      applySizing(r, in);
    }
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

// Entries for the block in progress or later (before the first sample, any).
bool Detector::addLogged(const LoggedHatch& entry) {
  return addInOrder(m_impl->log, entry, m_impl->takesFrom());
}

bool Detector::addLogged(const LoggedCrewMove& entry) {
  return addInOrder(m_impl->log, entry, m_impl->takesFrom());
}

bool Detector::addLogged(const LoggedPatch& entry) {
  return addInOrder(m_impl->log, entry, m_impl->takesFrom());
}

bool Detector::addLogged(const LoggedRepress& entry) {
  return addInOrder(m_impl->log, entry, m_impl->takesFrom());
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
    s.needed_s = neededHistory_s(m_impl->options);
    for (int m : seg->modules)
      for (int c : m_impl->pressureChannels[std::size_t(m)])
        s.pressureSeen = s.pressureSeen || m_impl->health.channel(c).seen;
    s.whiteSigma_kg = seg->test.whiteSigma();
    s.wanderRateSigma_kg_s = seg->test.envelope().rate_kg_s;
    s.knownSources_kg_s = seg->sources_kg_s;
    s.statistic = seg->lastStatistic;
    s.threshold = seg->test.threshold();
    s.alarmed = seg->alarmed;
    out.push_back(s);
  }
  return out;
}

}  // namespace leakhunt::detect
