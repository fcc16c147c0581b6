// Detector(station, ...): the streaming leak detector fed from numpy arrays. push() takes
// channel codes (indices into Detector.channels), which is what a pandas categorical holds;
// leakhunt/__init__.py maps names and categoricals onto them. Feeding runs without the GIL.
#include "detect/detector.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <memory>

#include "arrays.hpp"
#include "bindings.hpp"
#include "event_log.hpp"
#include "json_value.hpp"
#include "report/result_json.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::python {

namespace {

struct Report {
  detect::LeakReport r;
  std::vector<int> modules;  // the report's span points into the detector: copied here
};

class PyDetector : public detect::DetectionObserver {
 public:
  PyDetector(std::shared_ptr<StationHandle> station, const py::object& events,
             const py::object& channels, double falseAlarmsPerYear, double cd)
      : m_station(std::move(station)) {
    if (!(falseAlarmsPerYear > 0.0 && std::isfinite(falseAlarmsPerYear)))
      throw InputError("false_alarms_per_year: must be a positive number (1 is the default)");
    if (!(cd > 0.0 && cd <= 1.0))
      throw InputError(
          "cd: must be in (0, 1] (a discharge coefficient: 0.65 for a sharp-edged "
          "hole)");
    if (channels.is_none()) {
      for (const model::Sensor& s : m_station->station.sensors) m_channels.push_back(s.channel);
    } else {
      m_channels = channels.cast<std::vector<std::string>>();
    }
    detect::DetectorOptions options;
    options.falseAlarmRate_per_s = falseAlarmsPerYear / (365.25 * 86400.0);
    options.cd = cd;
    m_detector = std::make_unique<detect::Detector>(m_station->station, m_channels,
                                                    eventLog(events, *m_station), options, this);
  }

  void push(py::array_t<double, py::array::c_style | py::array::forcecast> times,
            py::array_t<int, py::array::c_style | py::array::forcecast> codes,
            py::array_t<double, py::array::c_style | py::array::forcecast> values) {
    if (m_finished) throw InputError("push after finish(): make a new Detector");
    if (times.ndim() != 1 || codes.ndim() != 1 || values.ndim() != 1 ||
        times.shape(0) != codes.shape(0) || times.shape(0) != values.shape(0))
      throw InputError("push: times, channels and values must be 1-D and of one length");
    const std::size_t n = static_cast<std::size_t>(times.shape(0));
    const double* t = times.data();
    const int* c = codes.data();
    const double* v = values.data();
    const int channels = static_cast<int>(m_channels.size());
    // Checked before any is fed, so a refused batch leaves the detector as it was.
    double last = m_last_s;
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(t[i]) || t[i] < last)
        throw InputError("push: sample " + std::to_string(i) + " at " +
                         telemetry::formatTime(t[i]) + " is " +
                         (std::isfinite(t[i]) ? "before " + telemetry::formatTime(last)
                                              : std::string("not a time")) +
                         ": samples must come in time order (sort them first)");
      if (c[i] < 0 || c[i] >= channels)
        throw InputError("push: sample " + std::to_string(i) + " has channel code " +
                         std::to_string(c[i]) + ", outside 0.." + std::to_string(channels - 1) +
                         " (Detector.channels)");
      if (!std::isfinite(v[i]))
        throw InputError("push: sample " + std::to_string(i) + " of " + m_channels[c[i]] +
                         " is not a finite value (leave a dropout out instead)");
      last = t[i];
    }
    {
      py::gil_scoped_release free;
      for (std::size_t i = 0; i < n; ++i) m_detector->onSample({t[i], c[i], v[i]});
    }
    m_last_s = last;
    m_samples += n;
  }

  void finish() {
    if (!m_finished) m_detector->finish();
    m_finished = true;
  }

  void onAlarm(const detect::LeakReport& r) override {
    m_alarms.push_back({r, {r.modules.begin(), r.modules.end()}});
    m_latest.push_back(m_alarms.back());
  }
  void onEstimate(const detect::LeakReport& r) override {
    m_estimates.push_back({r, {r.modules.begin(), r.modules.end()}});
    for (Report& x : m_latest)
      if (x.r.detection == r.detection) x = m_estimates.back();
  }
  void onSensorFault(const detect::SensorFault& f) override { m_faults.push_back(f); }

  std::vector<std::string> segmentNames(const std::vector<int>& modules) const {
    std::vector<std::string> out;
    for (int m : modules) out.push_back(m_station->station.modules[std::size_t(m)].id);
    return out;
  }

  // The CLI's rendering of a leak estimate (report::leakEstimateJson), times in Unix seconds,
  // with the alarm's running number.
  py::dict reportOf(const Report& x) const {
    py::dict d = fromJson(
        report::leakEstimateJson(x.r, segmentNames(x.modules), report::Times::UnixSeconds));
    d["detection"] = x.r.detection;
    return d;
  }

  py::list alarms() const {
    py::list out;
    for (const Report& r : m_alarms) out.append(reportOf(r));
    return out;
  }

  // Each detection's latest estimate: what `leakhunt detect` reports at the end of the data.
  py::list detections() const {
    py::list out;
    for (const Report& r : m_latest) out.append(reportOf(r));
    return out;
  }

  // Every block's estimate after an alarm, as columns (a DataFrame in Python).
  py::dict estimates() const {
    std::vector<double> t, rate, sigma, cda, diameter, reserve, reserveLow, onset, pressure;
    std::vector<int> detection;
    py::list segment;
    for (const Report& x : m_estimates) {
      t.push_back(x.r.time_s);
      detection.push_back(x.r.detection);
      rate.push_back(x.r.rate_kg_s);
      sigma.push_back(x.r.rateSigma_kg_s);
      cda.push_back(x.r.cda_m2);
      diameter.push_back(x.r.diameter_m);
      reserve.push_back(x.r.reserveTime_s);
      reserveLow.push_back(x.r.reserveLow_s);
      onset.push_back(x.r.onsetTime_s);
      pressure.push_back(x.r.pressure_pa);
      std::string name;
      for (const std::string& s : segmentNames(x.modules)) name += (name.empty() ? "" : ",") + s;
      segment.append(name);
    }
    py::dict d;
    d["estimate_time_s"] = toArray(std::move(t));
    d["detection"] = toArray(std::move(detection));
    d["segment"] = segment;
    d["leak_rate_kg_s"] = toArray(std::move(rate));
    d["leak_rate_sigma_kg_s"] = toArray(std::move(sigma));
    d["cda_m2"] = toArray(std::move(cda));
    d["diameter_m"] = toArray(std::move(diameter));
    d["reserve_time_s"] = toArray(std::move(reserve));
    d["reserve_time_low_s"] = toArray(std::move(reserveLow));
    d["onset_time_s"] = toArray(std::move(onset));
    d["pressure_pa"] = toArray(std::move(pressure));
    return d;
  }

  py::list faults() const {
    py::list out;
    for (const detect::SensorFault& f : m_faults)
      out.append(fromJson(report::sensorFaultJson(f, m_channels[std::size_t(f.channel)],
                                                  report::Times::UnixSeconds)));
    return out;
  }

  // report::segmentStatusJson, as `detect --json` writes each segment, and since when.
  py::list segments() const {
    py::list out;
    for (const detect::SegmentStatus& s : m_detector->segments()) {
      py::dict d = fromJson(
          report::segmentStatusJson(s, segmentNames({s.modules.begin(), s.modules.end()})));
      d["since_s"] = s.since_s;
      out.append(d);
    }
    return out;
  }

  const std::vector<std::string>& channels() const { return m_channels; }
  std::size_t samples() const { return m_samples; }

 private:
  std::shared_ptr<StationHandle> m_station;  // the detector holds references into it
  std::vector<std::string> m_channels;
  std::unique_ptr<detect::Detector> m_detector;
  std::vector<Report> m_alarms, m_estimates, m_latest;
  std::vector<detect::SensorFault> m_faults;
  double m_last_s = -std::numeric_limits<double>::infinity();
  std::size_t m_samples = 0;
  bool m_finished = false;
};

}  // namespace

void bindDetector(py::module_& m) {
  py::class_<PyDetector>(m, "Detector")
      .def(py::init<std::shared_ptr<StationHandle>, const py::object&, const py::object&, double,
                    double>(),
           py::arg("station"), py::arg("events") = py::none(), py::arg("channels") = py::none(),
           py::arg("false_alarms_per_year") = 1.0, py::arg("cd") = 0.65)
      .def("push_codes", &PyDetector::push, py::arg("times"), py::arg("codes"), py::arg("values"))
      .def("finish", &PyDetector::finish)
      .def_property_readonly("alarms", &PyDetector::alarms)
      .def_property_readonly("detections", &PyDetector::detections)
      .def_property_readonly("estimate_columns", &PyDetector::estimates)
      .def_property_readonly("sensor_faults", &PyDetector::faults)
      .def_property_readonly("channels", &PyDetector::channels)
      .def_property_readonly("samples", &PyDetector::samples)
      .def("segments", &PyDetector::segments);
}

}  // namespace leakhunt::python
