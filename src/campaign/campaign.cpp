#include "campaign/campaign.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>

#include "campaign/full_bound.hpp"
#include "model/load.hpp"

namespace leakhunt::campaign {
namespace {

constexpr double kYear_s = 365.25 * 86400.0;

// Nearest-rank percentile of an ascending list (infinite entries are misses).
double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return harness::kNever;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Upper 95 % bound of a Poisson mean after k events (Wilson-Hilferty).
double poissonUpper95(int k) {
  const double a = k + 1.0;
  const double c = 1.0 - 1.0 / (9.0 * a) + 1.6449 / (3.0 * std::sqrt(a));
  return a * c * c * c;
}

}  // namespace

namespace {

// The options every run of a campaign shares, and the station settled once.
struct SharedSetup {
  detect::DetectorOptions detector;
  sim::RunOptions sim;
};

SharedSetup sharedSetup(const CampaignSpec& spec, const std::vector<PlannedRun>& plan) {
  SharedSetup s;
  s.detector.falseAlarmRate_per_s = spec.falseAlarmsPerYear / kYear_s;
  s.detector.cd = spec.cd;
  s.detector.model = spec.detector;
  s.sim.spinUp_s = spec.spinUp_s;
  // Monte Carlo needs no more: the noise is orders of magnitude above this tolerance.
  s.sim.relativeTolerance = 1e-6;
  // Every run shares the station: settle CO2 and humidity once, and start each run from there.
  // Deterministic, so every rank of an MPI job and every resumed process settles it the same.
  if (!plan.empty() && spec.spinUp_s > 0.0) {
    Result<model::Scenario> first =
        model::parseScenario(plan.front().scenarioText, "campaign spin-up", spec.baseDir);
    if (first) {
      sim::RunOptions once = s.sim;
      once.stopAfterSpinUp = true;
      once.emitTelemetry = false;
      sim::RunObserver none;
      Result<sim::RunResult> settled = sim::runScenario(*first, once, none);
      if (settled) s.sim.initialState = settled->initialState;
    }
  }
  return s;
}

RunRecord runOne(const CampaignSpec& spec, const PlannedRun& planned, std::size_t i,
                 const SharedSetup& setup) {
  RunRecord rec;
  rec.plan = planned;
  Result<model::Scenario> sc =
      model::parseScenario(planned.scenarioText, "campaign run " + std::to_string(i), spec.baseDir);
  if (!sc) {
    rec.error = sc.error().message;
    return rec;
  }
  Result<harness::RunOutcome> out =
      harness::runWithDetector(*sc, planned.truth, setup.detector, setup.sim);
  if (!out && !setup.sim.initialState.empty()) {
    sim::RunOptions own = setup.sim;  // a network of another shape: settle this one
    own.initialState.clear();
    out = harness::runWithDetector(*sc, planned.truth, setup.detector, own);
  }
  if (out) {
    rec.ok = true;
    rec.outcome = std::move(out).value();
  } else {
    rec.error = out.error().message;
  }
  return rec;
}

}  // namespace

Result<bool> checkPlan(const CampaignSpec& spec, const std::vector<PlannedRun>& plan) {
  std::vector<std::pair<int, bool>> seen;  // (size, has a repress)
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const std::pair<int, bool> kind{plan[i].size,
                                    plan[i].scenarioText.find("repress:") != std::string::npos};
    if (std::find(seen.begin(), seen.end(), kind) != seen.end()) continue;
    seen.push_back(kind);
    const Result<model::Scenario> sc = model::parseScenario(
        plan[i].scenarioText, "campaign run " + std::to_string(i), spec.baseDir);
    if (!sc)
      return Error{"the spec's runs cannot be built (run " + std::to_string(i) +
                   ", scenario below):\n" + sc.error().message + "\n" + plan[i].scenarioText};
  }
  return true;
}

std::vector<std::pair<std::size_t, RunRecord>> executeRuns(const CampaignSpec& spec,
                                                           const std::vector<PlannedRun>& plan,
                                                           const ExecuteOptions& options) {
  const std::vector<std::size_t>& todo = options.indices;
  std::vector<std::optional<RunRecord>> records(todo.size());
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0}, started{0};
  std::mutex recordLock;
  const SharedSetup setup = todo.empty() ? SharedSetup{} : sharedSetup(spec, plan);
  const auto stopping = [&] { return options.stop && options.stop->load(); };
  std::condition_variable workerExited;
  int exited = 0;  // under recordLock
  const auto worker = [&] {
    while (!stopping()) {
      if (options.stopAfter >= 0 && started++ >= options.stopAfter) break;
      const std::size_t k = next++;
      if (k >= todo.size()) break;
      RunRecord rec = runOne(spec, plan.at(todo[k]), todo[k], setup);
      {
        const std::lock_guard<std::mutex> lock(recordLock);
        if (options.onRecord) options.onRecord(todo[k], rec);
        records[k] = std::move(rec);
      }
      ++done;
    }
    const std::lock_guard<std::mutex> lock(recordLock);
    ++exited;
    workerExited.notify_all();
  };
  const int n = std::max(1, std::min<int>(options.threads, static_cast<int>(todo.size())));
  const int total = static_cast<int>(todo.size());
  std::vector<std::thread> pool;
  for (int t = 0; t < n && !todo.empty(); ++t) pool.emplace_back(worker);
  {
    // Progress about once a second from this thread until every worker has left.
    std::unique_lock<std::mutex> lock(recordLock);
    while (exited < static_cast<int>(pool.size())) {
      if (options.progress) {
        lock.unlock();
        options.progress(done.load(), total);
        lock.lock();
      }
      workerExited.wait_for(lock, std::chrono::seconds(1));
    }
  }
  for (std::thread& t : pool) t.join();
  if (options.progress) options.progress(done.load(), total);
  std::vector<std::pair<std::size_t, RunRecord>> out;
  for (std::size_t k = 0; k < todo.size(); ++k)
    if (records[k]) out.emplace_back(todo[k], std::move(*records[k]));
  return out;
}

std::vector<RunRecord> executeCampaign(const CampaignSpec& spec,
                                       const std::vector<PlannedRun>& plan, int threads,
                                       const std::function<void(int, int)>& progress) {
  ExecuteOptions o;
  o.threads = threads;
  o.progress = progress;
  for (std::size_t i = 0; i < plan.size(); ++i) o.indices.push_back(i);
  std::vector<RunRecord> records;
  for (auto& [i, r] : executeRuns(spec, plan, o)) records.push_back(std::move(r));
  return records;
}

namespace {

// Issue 20's figures of one size from its runs' scored blocks: the tally per block after the
// alarm, the alarm's block, and the worst block with at least half the alarm block's runs.
void summariseAfterAlarm(const std::vector<const harness::RunOutcome*>& outcomes, SizeStats& s) {
  std::map<long, SizeStats::BlockTally> byBlock;
  for (const harness::RunOutcome* o : outcomes) {
    for (const harness::BlockScore& b : o->afterAlarm) {
      const long k = std::lround(b.after_s / s.blockPeriod_s);
      SizeStats::BlockTally& t = byBlock[k];
      t.after_s = static_cast<double>(k) * s.blockPeriod_s;
      ++t.runs;
      t.covered += b.covered ? 1 : 0;
      if (b.reserveAbove >= 0) {
        ++t.reserveDecided;
        t.reserveAbove += b.reserveAbove;
      }
    }
  }
  const double nan = std::nan("");
  s.coverAtAlarm = s.coverWorst = s.coverWorstAfter_s = nan;
  s.reserveAboveAtAlarm = s.reserveAboveWorst = s.reserveAboveWorstAfter_s = nan;
  for (const auto& kv : byBlock) s.afterAlarm.push_back(kv.second);
  if (byBlock.empty()) return;
  const SizeStats::BlockTally first = byBlock.begin()->second;
  if (byBlock.begin()->first == 0) {
    s.coverAtAlarm = static_cast<double>(first.covered) / first.runs;
    if (first.reserveDecided > 0)
      s.reserveAboveAtAlarm = static_cast<double>(first.reserveAbove) / first.reserveDecided;
  }
  const int enough = std::max(1, (first.runs + 1) / 2);
  for (const SizeStats::BlockTally& t : s.afterAlarm) {
    if (t.runs >= enough) {
      const double c = static_cast<double>(t.covered) / t.runs;
      if (!(c >= s.coverWorst)) s.coverWorst = c, s.coverWorstAfter_s = t.after_s;
    }
    if (t.reserveDecided >= enough) {
      const double a = static_cast<double>(t.reserveAbove) / t.reserveDecided;
      if (!(a <= s.reserveAboveWorst))
        s.reserveAboveWorst = a, s.reserveAboveWorstAfter_s = t.after_s;
    }
  }
}

}  // namespace

CampaignStats summarise(const CampaignSpec& spec, const std::vector<RunRecord>& runs) {
  CampaignStats st;
  st.sizes.resize(spec.sizes.size());
  const double h = std::log(kYear_s / spec.falseAlarmsPerYear);  // ARL in 1 Hz samples
  double segmentSeconds = 0.0, blockPeriod_s = 60.0;
  std::vector<std::vector<double>> relErr(spec.sizes.size()), absErr(spec.sizes.size()),
      sigmas(spec.sizes.size()), whites(spec.sizes.size()), truths(spec.sizes.size()),
      toLimit(spec.sizes.size());
  std::vector<std::vector<const harness::RunOutcome*>> scored(spec.sizes.size());
  for (const RunRecord& r : runs) {
    st.simulatedDays += r.plan.duration_s / 86400.0;
    st.cpuSeconds += r.outcome.wall_s;
    if (r.plan.size < 0) {
      ++st.leakFreeRuns;
      if (!r.ok) {
        ++st.leakFreeFailed;
        continue;
      }
      st.leakFreeAlarms += static_cast<int>(r.outcome.alarms.size());
      st.leakFreeSensorFaults += static_cast<int>(r.outcome.faults.size());
      segmentSeconds += r.outcome.segmentSeconds;
      for (std::size_t k = 0; k < st.excursions.size(); ++k)
        st.excursions[k] += r.outcome.excursions[k];
      blockPeriod_s = r.outcome.blockPeriod_s;
      continue;
    }
    const auto k = static_cast<std::size_t>(r.plan.size);
    SizeStats& s = st.sizes[k];
    ++s.runs;
    if (!r.ok) {
      ++s.failed;
      continue;
    }
    const harness::RunOutcome& o = r.outcome;
    scored[k].push_back(&o);
    if (std::isfinite(o.limitTime_s)) toLimit[k].push_back(o.limitTime_s - r.plan.truth.onset_s);
    s.alarmsBeforeOnset += o.alarmsBeforeOnset;
    s.alarmsWrongSegment += o.alarmsWrongSegment;
    s.delays_s.push_back(o.detected ? o.delay_s : harness::kNever);
    s.rates_kg_s.push_back(o.truthRateAtOnset_kg_s);
    if (o.detected) {
      ++s.detected;
      if (o.delay_s <= 600.0) ++s.within10min;
      if (o.delay_s <= 1200.0) ++s.within20min;
    } else {
      ++s.missed;
    }
    truths[k].push_back(o.truthRateAtOnset_kg_s);
    if (o.whiteSigma_kg > 0.0) whites[k].push_back(o.whiteSigma_kg);
    s.blockPeriod_s = o.blockPeriod_s;
    if (o.estimated && o.truthRate_kg_s > 0.0) {
      ++s.estimated;
      const double e = o.rate_kg_s - o.truthRate_kg_s;
      relErr[k].push_back(e / o.truthRate_kg_s);
      absErr[k].push_back(e);
      sigmas[k].push_back(o.rateSigma_kg_s);
      if (std::abs(e) <= 0.10 * o.truthRate_kg_s) ++s.within10pct;
      if (std::abs(e) <= 1.959964 * o.rateSigma_kg_s) ++s.covered95;
    }
  }
  st.leakFreeSegmentYears = segmentSeconds / kYear_s;
  if (st.leakFreeSegmentYears > 0.0) {
    st.falseAlarmsPerSegmentYear = st.leakFreeAlarms / st.leakFreeSegmentYears;
    st.falseAlarmUpper95 = poissonUpper95(st.leakFreeAlarms) / st.leakFreeSegmentYears;
    for (std::size_t k = 0; k < st.excursions.size(); ++k) {
      const double z = harness::kExcursionLevels[k];
      st.excursionsPerSegmentYear[k] = st.excursions[k] / st.leakFreeSegmentYears;
      st.effectiveTests[k] =
          st.excursions[k] / segmentSeconds * blockPeriod_s / (0.5 * std::erfc(z / std::sqrt(2.0)));
    }
  }
  for (std::size_t k = 0; k < st.sizes.size(); ++k) {
    SizeStats& s = st.sizes[k];
    s.label = spec.sizes[k].label;
    std::vector<double> d = s.delays_s;
    std::sort(d.begin(), d.end());
    s.delayP50_s = percentile(d, 0.50);
    s.delayP90_s = percentile(d, 0.90);
    s.delayP99_s = percentile(d, 0.99);
    s.truthRate_kg_s = median(truths[k]);
    if (!relErr[k].empty()) {
      std::vector<double> a;
      for (double e : relErr[k]) a.push_back(std::abs(e));
      s.medianAbsRelError = median(a);
      s.meanRelError = std::accumulate(relErr[k].begin(), relErr[k].end(), 0.0) /
                       static_cast<double>(relErr[k].size());
      const double mean = std::accumulate(absErr[k].begin(), absErr[k].end(), 0.0) /
                          static_cast<double>(absErr[k].size());
      double ss = 0.0;
      for (double e : absErr[k]) ss += (e - mean) * (e - mean);
      s.rateSpread_kg_s =
          absErr[k].size() > 1 ? std::sqrt(ss / static_cast<double>(absErr[k].size() - 1)) : 0.0;
      s.medianReportedSigma_kg_s = median(sigmas[k]);
    }
    s.whiteSigma_kg = median(whites[k]);
    const double f = 1.0 / s.blockPeriod_s, T = spec.checkAfter_s;
    const double w2 = s.whiteSigma_kg * s.whiteSigma_kg;
    s.crbSigma_kg_s = std::sqrt(12.0 * w2 / (f * T * T * T));
    s.hingeSigma_kg_s = std::sqrt(3.0 * w2 / (f * T * T * T));
    s.lorden_h = h;
    if (s.truthRate_kg_s > 0.0)
      s.oracleDelay_s = std::cbrt(6.0 * w2 * h / (s.truthRate_kg_s * s.truthRate_kg_s * f));
    if (s.crbSigma_kg_s > 0.0) s.spreadOverCrb = s.rateSpread_kg_s / s.crbSigma_kg_s;
    if (s.oracleDelay_s > 0.0 && std::isfinite(s.delayP50_s))
      s.medianDelayOverOracle = s.delayP50_s / s.oracleDelay_s;
    s.reachedLimit = static_cast<int>(toLimit[k].size());
    s.medianTimeToLimit_s = toLimit[k].empty() ? harness::kNever : median(toLimit[k]);
    if (spec.scoreAfterAlarm_s > 0.0) summariseAfterAlarm(scored[k], s);
  }
  // The full-noise-model limits beside the white ones (the station file as the spec names it).
  if (!st.sizes.empty()) {
    const Result<model::Station> station = model::loadStation(spec.stationPath);
    if (station) addFullModelBounds(spec, *station, runs, st);
  }
  return st;
}

std::string delayPlotSvg(const CampaignSpec& spec, const CampaignStats& stats) {
  const double W = 760, H = 480, L = 80, R = 30, T = 50, B = 60;
  double rmin = 1e300, rmax = 0.0, dmax = 0.0;
  for (const SizeStats& s : stats.sizes) {
    for (double r : s.rates_kg_s)
      if (r > 0.0) rmin = std::min(rmin, r), rmax = std::max(rmax, r);
    for (double d : s.delays_s)
      if (std::isfinite(d)) dmax = std::max(dmax, d);
    if (s.oracleDelay_s > 0.0) dmax = std::max(dmax, s.oracleDelay_s);
    if (s.oracleFullDelay_s > 0.0 && std::isfinite(s.oracleFullDelay_s))
      dmax = std::max(dmax, s.oracleFullDelay_s);
  }
  if (!(rmax > 0.0)) rmin = 1e-5, rmax = 1e-3;
  const double lx0 = std::floor(std::log10(rmin * 86400.0) - 0.05),
               lx1 = std::ceil(std::log10(rmax * 86400.0) + 0.05);
  // Delay axis in minutes, log scale so small and large holes share the plot.
  const double ly0 = std::floor(std::log10(std::max(1.0, 0.5 * 60.0) / 60.0)),
               ly1 = std::ceil(std::log10(std::max(dmax, 600.0) * 1.5 / 60.0));
  const auto X = [&](double kg_s) {
    return L + (std::log10(kg_s * 86400.0) - lx0) / (lx1 - lx0) * (W - L - R);
  };
  const auto Y = [&](double s) {
    return H - B - (std::log10(s / 60.0) - ly0) / (ly1 - ly0) * (H - T - B);
  };
  std::string o;
  char b[512];
  const auto add = [&](const char* f, auto... a) {
    std::snprintf(b, sizeof b, f, a...);
    o += b;
  };
  add("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n",
      W, H);
  add("<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", W, H);
  std::string title = "Detection delay vs leak rate: " + spec.name;
  for (char& c : title)
    if (c == '<' || c == '>' || c == '&') c = ' ';
  add("<text x=\"%.0f\" y=\"24\" font-size=\"15\">%s</text>\n", L, title.c_str());
  for (double e = lx0; e <= lx1 + 1e-9; e += 1.0) {
    const double x = X(std::pow(10.0, e) / 86400.0);
    add("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x, T, x,
        H - B);
    add("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n", x, H - B + 16,
        std::pow(10.0, e));
  }
  for (double e = ly0; e <= ly1 + 1e-9; e += 1.0) {
    const double y = Y(std::pow(10.0, e) * 60.0);
    add("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L, y, W - R,
        y);
    add("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", L - 6, y + 4,
        std::pow(10.0, e));
  }
  for (double m : {10.0, 20.0}) {
    const double y = Y(m * 60.0);
    add("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c80\" "
        "stroke-dasharray=\"2,3\"/>\n",
        L, y, W - R, y);
    add("<text x=\"%.1f\" y=\"%.1f\" fill=\"#c80\" text-anchor=\"end\">%g min</text>\n", W - R - 2,
        y - 3, m);
  }
  add("<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
      "stroke=\"black\"/>\n",
      L, T, W - L - R, H - T - B);
  add("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">leak rate (simulator truth at onset) "
      "[kg/day]</text>\n",
      (L + W - R) / 2, H - 18);
  add("<text transform=\"translate(20,%.1f) rotate(-90)\" text-anchor=\"middle\">time from onset "
      "to alarm [min]</text>\n",
      (T + H - B) / 2);
  std::string med, p90, oracle, oracleFull;
  for (const SizeStats& s : stats.sizes) {
    for (std::size_t i = 0; i < s.delays_s.size(); ++i) {
      if (!(s.rates_kg_s[i] > 0.0)) continue;
      const double x = X(s.rates_kg_s[i]);
      if (std::isfinite(s.delays_s[i]) && s.delays_s[i] > 0.0)
        add("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"#4477aa\" fill-opacity=\"0.4\"/>\n", x,
            Y(std::max(s.delays_s[i], 30.0)));
      else
        add("<text x=\"%.1f\" y=\"%.1f\" fill=\"red\" text-anchor=\"middle\">x</text>\n", x,
            T + 12.0);
    }
    if (s.truthRate_kg_s <= 0.0) continue;
    const double x = X(s.truthRate_kg_s);
    if (std::isfinite(s.delayP50_s)) {
      add("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"black\"/>\n", x, Y(s.delayP50_s));
      std::snprintf(b, sizeof b, "%s%.1f,%.1f", med.empty() ? "" : " ", x, Y(s.delayP50_s));
      med += b;
    }
    if (std::isfinite(s.delayP90_s)) {
      std::snprintf(b, sizeof b, "%s%.1f,%.1f", p90.empty() ? "" : " ", x, Y(s.delayP90_s));
      p90 += b;
    }
    if (s.oracleDelay_s > 0.0) {
      std::snprintf(b, sizeof b, "%s%.1f,%.1f", oracle.empty() ? "" : " ", x, Y(s.oracleDelay_s));
      oracle += b;
    }
    if (s.oracleFullDelay_s > 0.0 && std::isfinite(s.oracleFullDelay_s)) {
      std::snprintf(b, sizeof b, "%s%.1f,%.1f", oracleFull.empty() ? "" : " ", x,
                    Y(s.oracleFullDelay_s));
      oracleFull += b;
    }
    add("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n", x,
        H - B - 6, s.label.c_str());
  }
  o += "<polyline points=\"" + med + "\" fill=\"none\" stroke=\"black\" stroke-width=\"2\"/>\n";
  o += "<polyline points=\"" + p90 +
       "\" fill=\"none\" stroke=\"black\" stroke-dasharray=\"6,4\"/>\n";
  o +=
      "<polyline points=\"" + oracle + "\" fill=\"none\" stroke=\"#228833\" stroke-width=\"2\"/>\n";
  o += "<polyline points=\"" + oracleFull +
       "\" fill=\"none\" stroke=\"#aa3377\" stroke-width=\"2\" stroke-dasharray=\"4,3\"/>\n";
  add("<text x=\"%.0f\" y=\"%.0f\">solid: median; dashed: 90 %%; dots: runs; red x: "
      "missed</text>\n",
      L + 8, T + 28);
  add("<text x=\"%.0f\" y=\"%.0f\">green: oracle t* (white noise); purple: oracle (full noise "
      "model)</text>\n",
      L + 8, T + 44);
  o += "</svg>\n";
  return o;
}

}  // namespace leakhunt::campaign
