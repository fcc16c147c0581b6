// Stations and scenarios: load from a file or parse from text, and look inside. Errors list
// every problem "file:line:col: error: ..." as `leakhunt check` does.
#include <pybind11/stl.h>

#include <filesystem>
#include <memory>

#include "bindings.hpp"
#include "model/load.hpp"

namespace leakhunt::python {

namespace {

py::list modulesOf(const model::Station& s) {
  py::list out;
  for (const model::Module& m : s.modules) {
    py::dict d;
    d["id"] = m.id;
    d["name"] = m.name;
    d["vehicle"] = m.vehicle;
    d["volume_m3"] = m.volume_m3;
    out.append(d);
  }
  return out;
}

py::list hatchesOf(const model::Station& s) {
  py::list out;
  for (const model::Hatch& h : s.hatches) {
    py::dict d;
    d["id"] = h.id;
    d["module_a"] = h.moduleA;
    d["module_b"] = h.moduleB;
    d["open"] = h.open;
    d["closable"] = h.closable;
    d["area_m2"] = h.area_m2;
    d["operate_time_s"] = h.operateTime_s;
    out.append(d);
  }
  return out;
}

py::list channelsOf(const model::Station& s) {
  py::list out;
  for (const model::Sensor& x : s.sensors) out.append(x.channel);
  return out;
}

}  // namespace

void bindDescriptions(py::module_& m) {
  py::class_<StationHandle, std::shared_ptr<StationHandle>>(m, "Station")
      .def_property_readonly("name", [](const StationHandle& h) { return h.station.name; })
      .def_property_readonly("path", [](const StationHandle& h) { return h.path; })
      .def_property_readonly("modules", [](const StationHandle& h) { return modulesOf(h.station); })
      .def_property_readonly("hatches", [](const StationHandle& h) { return hatchesOf(h.station); })
      .def_property_readonly("channels",
                             [](const StationHandle& h) { return channelsOf(h.station); })
      .def_property_readonly(
          "pressure_pa", [](const StationHandle& h) { return h.station.atmosphere.pressure_pa; })
      .def_property_readonly("volume_m3",
                             [](const StationHandle& h) {
                               double v = 0.0;
                               for (const model::Module& x : h.station.modules) v += x.volume_m3;
                               return v;
                             })
      .def("__repr__", [](const StationHandle& h) {
        return "<leakhunt.Station '" + h.station.name +
               "': " + std::to_string(h.station.modules.size()) + " modules, " +
               std::to_string(h.station.hatches.size()) + " hatches, " +
               std::to_string(h.station.sensors.size()) + " sensors>";
      });

  py::class_<ScenarioHandle, std::shared_ptr<ScenarioHandle>>(m, "Scenario")
      .def_property_readonly("name", [](const ScenarioHandle& h) { return h.scenario.name; })
      .def_property_readonly("path", [](const ScenarioHandle& h) { return h.path; })
      .def_property_readonly(
          "station",
          [](const ScenarioHandle& h) {
            auto s = std::make_shared<StationHandle>();
            s->station = h.scenario.station;
            s->path = h.scenario.stationPath.empty()
                          ? h.path
                          : (std::filesystem::path(h.path).parent_path() / h.scenario.stationPath)
                                .string();
            return s;
          })
      .def_property_readonly("start_unix_s",
                             [](const ScenarioHandle& h) { return h.scenario.startUnix_s; })
      .def_property_readonly("duration_s",
                             [](const ScenarioHandle& h) { return h.scenario.duration_s; })
      .def_property_readonly("output_period_s",
                             [](const ScenarioHandle& h) { return h.scenario.outputPeriod_s; })
      .def_property_readonly("seed", [](const ScenarioHandle& h) { return h.scenario.seed; })
      .def("__repr__", [](const ScenarioHandle& h) {
        return "<leakhunt.Scenario '" + h.scenario.name +
               "': " + std::to_string(h.scenario.duration_s / 3600.0) + " h, " +
               std::to_string(h.scenario.events.size()) + " events>";
      });

  m.def("load_station", [](const std::string& path) {
    return std::make_shared<StationHandle>(StationHandle{take(model::loadStation(path)), path});
  });
  m.def("parse_station", [](const std::string& text, const std::string& fileName) {
    return std::make_shared<StationHandle>(
        StationHandle{take(model::parseStation(text, fileName)), ""});
  });
  m.def("load_scenario", [](const std::string& path) {
    return std::make_shared<ScenarioHandle>(ScenarioHandle{take(model::loadScenario(path)), path});
  });
  m.def("parse_scenario",
        [](const std::string& text, const std::string& fileName, const std::string& baseDir) {
          ScenarioHandle h{take(model::parseScenario(text, fileName, baseDir)),
                           (std::filesystem::path(baseDir) / fileName).string()};
          return std::make_shared<ScenarioHandle>(std::move(h));
        });
}

}  // namespace leakhunt::python
