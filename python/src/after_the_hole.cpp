// After the hole: trend, verify and onset over telemetry held in numpy arrays, and the ground
// leak-test design. The analyses run the same residual tap as the CLI (verify::runResiduals),
// without the GIL.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>

#include "arrays.hpp"
#include "bindings.hpp"
#include "event_log.hpp"
#include "json_value.hpp"
#include "locate/plan_request.hpp"
#include "ops/inference.hpp"
#include "report/result_json.hpp"
#include "verify/ground_test.hpp"
#include "verify/onset.hpp"
#include "verify/residual_run.hpp"
#include "verify/trend.hpp"
#include "verify/verify.hpp"

namespace leakhunt::python {

namespace {

using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Ints = py::array_t<int, py::array::c_style | py::array::forcecast>;

// Telemetry as columns: times [Unix s], channel codes into `names`, values [SI].
struct Columns {
  Doubles times;
  Ints codes;
  Doubles values;
  std::vector<std::string> names;

  void check() const {
    if (times.ndim() != 1 || codes.ndim() != 1 || values.ndim() != 1 ||
        times.shape(0) != codes.shape(0) || times.shape(0) != values.shape(0))
      throw InputError("telemetry: times, channels and values must be 1-D and of one length");
    const int* c = codes.data();
    const double* t = times.data();
    for (py::ssize_t i = 0; i < times.shape(0); ++i) {
      if (c[i] < 0 || c[i] >= static_cast<int>(names.size()))
        throw InputError("telemetry: sample " + std::to_string(i) + " has channel code " +
                         std::to_string(c[i]) + " but there are " + std::to_string(names.size()) +
                         " channel names");
      if (i > 0 && !(t[i] >= t[i - 1]))
        throw InputError("telemetry: sample " + std::to_string(i) +
                         " is earlier than the one before it: sort by time first");
    }
  }

  // A source for runResiduals: interns the names, then delivers every sample.
  verify::TelemetrySource source() const {
    return [this](telemetry::ChannelTable& table, const verify::SampleCallback& f) {
      std::vector<int> index;
      for (const std::string& n : names) index.push_back(table.intern(n));
      const double* t = times.data();
      const int* c = codes.data();
      const double* v = values.data();
      const std::size_t n = static_cast<std::size_t>(times.shape(0));
      for (std::size_t i = 0; i < n; ++i) f({t[i], index[std::size_t(c[i])], v[i]});
      return Result<std::size_t>(n);
    };
  }
};

Columns columns(const py::tuple& telemetry) {
  if (telemetry.size() != 4)
    throw InputError("telemetry: expected (times, codes, values, channel names)");
  Columns c{telemetry[0].cast<Doubles>(), telemetry[1].cast<Ints>(), telemetry[2].cast<Doubles>(),
            telemetry[3].cast<std::vector<std::string>>()};
  c.check();
  return c;
}

std::vector<std::string> idsOf(const StationHandle& st, const std::vector<int>& modules) {
  std::vector<std::string> out;
  for (int m : modules) out.push_back(st.station.modules[std::size_t(m)].id);
  return out;
}

void run(const StationHandle& station, const detect::LoggedEvents& log, const Columns& c,
         verify::ResidualSink& sink, detect::DetectionObserver* observer = nullptr) {
  Result<std::size_t> read = Error{""};
  {
    py::gil_scoped_release free;
    read = verify::runResiduals(station.station, log, {c.source()}, sink, observer);
  }
  take(std::move(read));
}

py::list trend(const std::shared_ptr<StationHandle>& station, const py::tuple& telemetry,
               const py::object& events, const py::object& period, const py::object& minChange) {
  verify::TrendOptions options;
  options.period_s = quantity(period, "period", gas::Dimension::Time);
  if (!(options.period_s > 0.0)) throw InputError("period: must be positive");
  options.minChange_kg_s = quantity(minChange, "min_change", gas::Dimension::MassRate);
  if (!(options.minChange_kg_s >= 0.0)) throw InputError("min_change: must be 0 or more");
  const Columns c = columns(telemetry);
  verify::TrendBuilder builder(options);
  run(*station, eventLog(events, *station), c, builder);
  builder.finish();
  py::list out;
  for (const verify::SegmentTrend& t : builder.trends()) {
    std::vector<double> start, end, rate, sigma, low, high, coverage;
    std::vector<int> steps;
    std::vector<bool> usable;
    for (const verify::TrendPoint& p : t.points) {
      start.push_back(p.start_s);
      end.push_back(p.end_s);
      rate.push_back(p.rate_kg_s);
      sigma.push_back(p.rateSigma_kg_s);
      low.push_back(p.low_kg_s);
      high.push_back(p.high_kg_s);
      coverage.push_back(p.coverage_s);
      steps.push_back(p.stepsRemoved);
      usable.push_back(p.usable);
    }
    py::dict points;
    points["start_time_s"] = toArray(std::move(start));
    points["end_time_s"] = toArray(std::move(end));
    points["leak_rate_kg_s"] = toArray(std::move(rate));
    points["leak_rate_sigma_kg_s"] = toArray(std::move(sigma));
    points["leak_rate_low_kg_s"] = toArray(std::move(low));
    points["leak_rate_high_kg_s"] = toArray(std::move(high));
    points["coverage_s"] = toArray(std::move(coverage));
    points["steps_removed"] = toArray(std::move(steps));
    points["usable"] = usable;
    py::list changes;
    for (const verify::TrendChange& x : t.changes) {
      py::dict d;
      d["time_s"] = x.time_s;
      d["time_interval_s"] = py::make_tuple(x.timeLow_s, x.timeHigh_s);
      d["reported_at_s"] = x.reportedAt_s;
      d["leak_rate_before_kg_s"] = x.before_kg_s;
      d["leak_rate_after_kg_s"] = x.after_kg_s;
      d["change_kg_s"] = x.change_kg_s;
      d["change_interval_kg_s"] = py::make_tuple(x.changeLow_kg_s, x.changeHigh_kg_s);
      d["z"] = x.z;
      d["threshold"] = x.threshold;
      changes.append(d);
    }
    py::dict seg;
    seg["modules"] = idsOf(*station, t.modules);
    seg["points"] = points;
    seg["changes"] = changes;
    seg["scatter_sigma_kg_s"] = t.scatterSigma_kg_s;
    out.append(seg);
  }
  return out;
}

py::list verifyRepair(const std::shared_ptr<StationHandle>& station, const py::tuple& telemetry,
                      const py::object& events, const py::object& since, const py::object& target,
                      double confidence) {
  const double since_s = quantity(since, "since", gas::Dimension::Time);
  verify::VerifyOptions options;
  options.target_kg_s = quantity(target, "target", gas::Dimension::MassRate);
  if (!(options.target_kg_s > 0.0)) throw InputError("target: must be a positive leak rate");
  if (!(confidence > 0.5 && confidence < 1.0))
    throw InputError("confidence: must be in (0.5, 1), one-sided (0.95 is usual)");
  options.confidence = confidence;
  const Columns c = columns(telemetry);
  verify::SeriesCollector collector;
  run(*station, eventLog(events, *station), c, collector);
  // verify --json's rendering of each segment (times in Unix seconds), with the target.
  py::list out;
  for (const verify::SegmentVerdict& v :
       verify::verifySince(collector.series(), since_s, options)) {
    py::dict d = fromJson(
        report::segmentVerdictJson(v, idsOf(*station, v.modules), report::Times::UnixSeconds));
    d["target_kg_s"] = options.target_kg_s;
    out.append(d);
  }
  return out;
}

struct Alarms : detect::DetectionObserver {
  std::vector<detect::LeakReport> reports;
  std::vector<std::vector<int>> modules;
  void onAlarm(const detect::LeakReport& r) override {
    reports.push_back(r);
    modules.emplace_back(r.modules.begin(), r.modules.end());
  }
};

py::list onset(const std::shared_ptr<StationHandle>& station, const py::tuple& telemetry,
               const py::object& events, const py::object& searchBefore, const py::object& follow) {
  const double before = quantity(searchBefore, "search_before", gas::Dimension::Time);
  if (!(before > 0.0)) throw InputError("search_before: must be positive");
  verify::OnsetOptions options;
  options.follow_s = quantity(follow, "follow", gas::Dimension::Time);
  if (!(options.follow_s > 0.0)) throw InputError("follow: must be positive");
  const Columns c = columns(telemetry);
  verify::SeriesCollector series;
  Alarms alarms;
  run(*station, eventLog(events, *station), c, series, &alarms);
  py::list out;
  for (std::size_t i = 0; i < alarms.reports.size(); ++i) {
    const detect::LeakReport& rep = alarms.reports[i];
    const verify::SegmentSeries* s = nullptr;
    for (const verify::SegmentSeries& x : series.series())
      if (x.modules == alarms.modules[i] && !x.points.empty() &&
          x.points.front().time_s <= rep.alarmTime_s && x.points.back().time_s >= rep.alarmTime_s)
        s = &x;
    if (s == nullptr) continue;
    verify::OnsetResult r;
    {
      py::gil_scoped_release free;
      r = verify::analyseOnset(s->points, rep.onsetLow_s - before, rep.alarmTime_s, options);
    }
    py::dict d;
    d["segment"] = idsOf(*station, s->modules);
    d["alarm_time_s"] = rep.alarmTime_s;
    d["valid"] = r.valid;
    d["profile"] = verify::toString(r.best);
    d["onset_time_s"] = r.onset_s;
    d["onset_interval_s"] = py::make_tuple(r.onsetLow_s, r.onsetHigh_s);
    py::list profiles;
    for (const verify::ProfileEvidence& e : r.profiles) {
      py::dict p;
      p["profile"] = verify::toString(e.profile);
      p["valid"] = e.valid;
      p["onset_time_s"] = e.onset_s;
      p["duration_s"] = e.duration_s;
      p["leak_rate_kg_s"] = e.rate_kg_s;
      p["bic"] = e.bic;
      p["weight"] = e.weight;
      profiles.append(p);
    }
    d["evidence"] = profiles;
    out.append(d);
  }
  return out;
}

py::dict groundTest(const py::object& volume, const py::object& pressure,
                    const py::object& duration, const py::object& resolution,
                    const py::object& stability, const py::object& temperature,
                    const py::object& outside, double cd, const py::object& hole) {
  verify::GroundTestInput in;
  in.volume_m3 = quantity(volume, "volume", gas::Dimension::Volume);
  in.pressure_pa = quantity(pressure, "pressure", gas::Dimension::Pressure);
  in.duration_s = quantity(duration, "duration", gas::Dimension::Time);
  in.sensorResolution_pa = quantity(resolution, "sensor_resolution", gas::Dimension::Pressure);
  in.temperatureStability_k =
      quantity(stability, "temperature_stability", gas::Dimension::Temperature);
  in.temperature_k = quantity(temperature, "temperature", gas::Dimension::Temperature);
  in.outsidePressure_pa = quantity(outside, "outside_pressure", gas::Dimension::Pressure);
  in.cd = cd;
  if (!(in.volume_m3 > 0.0)) throw InputError("volume: must be positive");
  if (!(in.pressure_pa > in.outsidePressure_pa))
    throw InputError("pressure: must be above the outside pressure");
  if (!(in.duration_s > 0.0)) throw InputError("duration: must be positive");
  if (!(in.sensorResolution_pa > 0.0)) throw InputError("sensor_resolution: must be positive");
  if (!(in.temperatureStability_k >= 0.0))
    throw InputError("temperature_stability: must be 0 or more");
  if (!(in.temperature_k > 0.0)) throw InputError("temperature: must be above 0 K");
  if (!(cd > 0.0 && cd <= 1.0)) throw InputError("cd: must be in (0, 1]");
  if (!hole.is_none()) {
    in.holeDiameter_m = quantity(hole, "hole", gas::Dimension::Length);
    if (!(*in.holeDiameter_m > 0.0)) throw InputError("hole: must be a positive diameter");
  }
  const verify::GroundTestResult r = verify::designGroundTest(in);
  py::dict d;
  d["min_detectable_drop_pa"] = r.minDetectableDrop_pa;
  d["min_detectable_leak_rate_kg_s"] = r.minDetectableLeakRate_kg_s;
  d["min_detectable_throughput_pa_m3_s"] = r.minDetectableThroughput_pa_m3_s;
  d["min_detectable_cda_m2"] = r.minDetectableCda_m2;
  d["min_detectable_diameter_m"] = r.minDetectableDiameter_m;
  d["thermal_time_constant_s"] = r.thermalTimeConstant_s;
  d["stabilisation_time_s"] = r.stabilisationTime_s;
  d["helium_equivalent_pa_m3_s"] = r.heliumEquivalent_pa_m3_s;
  if (r.hasHole) {
    d["hole_leak_rate_kg_s"] = r.holeLeakRate_kg_s;
    d["hole_drop_pa"] = r.holeDrop_pa;
    d["passes"] = r.passes;
  }
  return d;
}

// `leakhunt locate infer` over telemetry in arrays: the operations core reads every stretch of
// unchanged hatches and crew the log shows after the alarm (ops::inferFromRecord), and the
// result is the command's document (report::inferenceJson) with times in Unix seconds.
py::object infer(const std::shared_ptr<StationHandle>& station, const py::tuple& telemetry,
                 const py::object& events, const std::string& prior, const py::object& leakRate) {
  const Columns c = columns(telemetry);
  ops::OperationsOptions options;
  options.prior = take(locate::priorNamed(prior));
  if (!leakRate.is_none()) {
    options.leakRate_kg_s = quantity(leakRate, "leak_rate", gas::Dimension::MassRate);
    if (!(options.leakRate_kg_s > 0.0)) throw InputError("leak_rate: must be positive");
  }
  const detect::LoggedEvents log = eventLog(events, *station);
  std::vector<telemetry::Sample> samples(static_cast<std::size_t>(c.times.shape(0)));
  const double* t = c.times.data();
  const int* code = c.codes.data();
  const double* v = c.values.data();
  for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = {t[i], code[i], v[i]};
  ops::Inference r;
  {
    py::gil_scoped_release free;
    r = ops::inferFromRecord(station->station, c.names, samples, log, options);
  }
  return fromJson(report::inferenceJson(r, report::Times::UnixSeconds));
}

}  // namespace

void bindAfterTheHole(py::module_& m) {
  m.def("locate_infer", &infer, py::arg("station"), py::arg("telemetry"), py::arg("events"),
        py::arg("prior"), py::arg("leak_rate"));
  m.def("trend", &trend, py::arg("station"), py::arg("telemetry"), py::arg("events"),
        py::arg("period"), py::arg("min_change"));
  m.def("verify", &verifyRepair, py::arg("station"), py::arg("telemetry"), py::arg("events"),
        py::arg("since"), py::arg("target"), py::arg("confidence"));
  m.def("onset", &onset, py::arg("station"), py::arg("telemetry"), py::arg("events"),
        py::arg("search_before"), py::arg("follow"));
  m.def("ground_test", &groundTest, py::arg("volume"), py::arg("pressure"), py::arg("duration"),
        py::arg("sensor_resolution"), py::arg("temperature_stability"), py::arg("temperature"),
        py::arg("outside_pressure"), py::arg("cd"), py::arg("hole"));
}

}  // namespace leakhunt::python
