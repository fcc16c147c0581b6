#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "gas/orifice.hpp"
#include "model/did_you_mean.hpp"
#include "model/parsers.hpp"

namespace leakhunt::model::yaml {
namespace {

using gas::Dimension;

constexpr std::array<std::string_view, 12> kStationKeys{
    "name",       "atmosphere",   "limits",  "orbital_period", "temperature_unmeasured",
    "metabolism", "modules",      "hatches", "crew",           "life_support",
    "sensors",    "repress_tanks"};
constexpr std::array<std::string_view, 3> kAtmosphereKeys{"pressure", "temperature", "composition"};
constexpr std::array<std::string_view, 7> kLimitsKeys{
    "evacuation_pressure", "min_ppO2",     "max_ppCO2",   "nominal_ppO2_low",
    "nominal_ppO2_high",   "min_humidity", "max_humidity"};
constexpr std::array<std::string_view, 4> kMetabolismKeys{"o2", "co2", "h2o", "spread"};
constexpr std::array<std::string_view, 10> kModuleKeys{"id",
                                                       "name",
                                                       "volume",
                                                       "vehicle",
                                                       "wall_area",
                                                       "temperature",
                                                       "orbital_swing",
                                                       "orbital_phase",
                                                       "wall_heat_transfer",
                                                       "coldest_surface"};
constexpr std::array<std::string_view, 9> kHatchKeys{
    "id", "between", "diameter", "area", "cd", "open", "closable", "operate_time", "ventilation"};
constexpr std::array<std::string_view, 3> kCrewKeys{"id", "location", "lifeboat"};
constexpr std::array<std::string_view, 9> kLifeSupportKeys{
    "id", "kind", "module", "rate", "flow", "efficiency", "vented", "spread", "coil_temperature"};
constexpr std::array<std::string_view, 4> kLifeSupportKinds{"o2_generation", "co2_removal",
                                                            "h2o_removal", "vent"};
constexpr std::array<std::string_view, 7> kSensorKeys{"channel",    "module", "quantity", "noise",
                                                      "resolution", "bias",   "period"};
constexpr std::array<std::string_view, 6> kQuantities{"pressure", "temperature", "ppO2",
                                                      "ppCO2",    "hatch_state", "humidity"};
constexpr std::array<std::string_view, 4> kTankKeys{"id", "module", "gas", "mass"};

// A sphere's surface for its volume, (36 pi)^(1/3) V^(2/3), rounded as formats.md writes it:
// the least wall a module of that volume can have.
double sphereArea(double volume_m3) { return 4.84 * std::cbrt(volume_m3 * volume_m3); }

Dimension sensedDimension(Quantity q) {
  switch (q) {
    case Quantity::Temperature:
      return Dimension::Temperature;
    case Quantity::HatchState:
    case Quantity::RelativeHumidity:  // "2 %" or 0.02, read in percent (sensorScale)
      return Dimension::Dimensionless;
    default:
      return Dimension::Pressure;
  }
}

// What a quantity's value in the file is multiplied by to be in the unit the sensor reads in:
// a humidity file value is a fraction ("2 %" is 0.02), its sensor reads percent.
double sensorScale(Quantity q) { return q == Quantity::RelativeHumidity ? kPercent : 1.0; }

// Ids of one kind, with where each was first written, for duplicates and suggestions.
class IdTable {
 public:
  // False (and reported) if the id was taken already.
  bool claim(Reader& r, const YAML::Node& node, const std::string& id) {
    const auto [it, inserted] = m_lines.emplace(id, r.at(node).line);
    if (!inserted) {
      r.error(node, "duplicate id " + inQuotes(id) + " (first at line " +
                        std::to_string(it->second) + ")");
      return false;
    }
    m_list.push_back(id);
    return true;
  }
  // Without a report: for a second table of ids that `claim` already checked.
  void add(const std::string& id) {
    if (m_lines.emplace(id, 0).second) m_list.push_back(id);
  }
  bool contains(const std::string& id) const { return m_lines.count(id) != 0; }
  const std::vector<std::string>& list() const { return m_list; }

 private:
  std::unordered_map<std::string, int> m_lines;
  std::vector<std::string> m_list;
};

class StationReader {
 public:
  StationReader(Reader& r, Station& s) : m_r(r), m_s(s) {}

  void read(const YAML::Node& root) {
    auto top = Fields::open(m_r, root, "station", kStationKeys);
    if (!top) return;
    m_s.where = m_r.at(root);
    if (auto name = top->text("name")) m_s.name = *name;
    if (m_s.name.empty()) m_s.name = std::filesystem::path(m_r.file()).stem().string();
    readAtmosphere(*top);
    readLimits(*top);
    if (auto v = top->quantity("orbital_period", Dimension::Time, Bound::Positive)) {
      m_s.orbitalPeriod_s = *v;
    }
    if (auto v = top->quantity("temperature_unmeasured", Dimension::Temperature, Bound::NonNegative,
                               Need::Optional, Reading::Difference)) {
      m_s.temperatureUnmeasured_k = *v;
    }
    readMetabolism(*top);
    readModules(*top);
    readHatches(*top);
    readCrew(*top);
    readLifeSupport(*top);
    readSensors(*top);
    readTanks(*top);
    warnUnjoinedModules();
    checkLifeboatPaths();
  }

 private:
  // The nodes behind a crew member, for the path check that runs once hatches are known.
  struct CrewNodes {
    YAML::Node location;
    YAML::Node lifeboat;
  };

  // Reports an unknown id of `kind` referred to from `node`; "hatch 'h7' joins".
  bool reference(const YAML::Node& node, const std::string& id, const IdTable& known,
                 const std::string& context, std::string_view kind) {
    if (known.contains(id)) return true;
    m_r.error(node, context + " unknown " + std::string(kind) + " " + inQuotes(id) +
                        didYouMean(id, known.list()));
    return false;
  }

  void readAtmosphere(const Fields& top) {
    const auto node = top.get("atmosphere");
    if (!node) return;
    auto f = Fields::open(m_r, *node, "atmosphere", kAtmosphereKeys);
    if (!f) return;
    Atmosphere& a = m_s.atmosphere;
    if (auto v = f->quantity("pressure", Dimension::Pressure, Bound::Positive)) a.pressure_pa = *v;
    if (auto v = f->quantity("temperature", Dimension::Temperature, Bound::Positive)) {
      a.temperature_k = *v;
    }
    if (auto c = f->get("composition")) readComposition(*c);
  }

  void readComposition(const YAML::Node& node) {
    std::vector<std::string_view> species;
    for (std::size_t k = 0; k < gas::kSpeciesCount; ++k) species.push_back(gas::kSpecies[k].name);
    // A species the gas model lacks is named as such, with the ones it has, and the sum (which
    // leaves it out) is not reported: "sum to 0.79" sent users hunting for a typo in a number.
    std::vector<std::string> unknown;
    if (node.IsMap()) {
      std::string known;
      for (std::string_view sp : species) known += (known.empty() ? "" : ", ") + std::string(sp);
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) continue;
        const std::string name = entry.first.Scalar();
        if (std::find(species.begin(), species.end(), name) != species.end()) continue;
        const auto suggestion = closestName(name, std::span<const std::string_view>(species));
        m_r.error(entry.first,
                  "unknown species " + inQuotes(name) + " in composition" +
                      (suggestion ? " (did you mean " + inQuotes(*suggestion) + "?)" : "") +
                      "; the gas model has " + known);
        unknown.push_back(name);
      }
    }
    std::vector<std::string_view> keys = species;
    for (const std::string& u : unknown) keys.push_back(u);
    auto f = Fields::open(m_r, node, "composition", keys);
    if (!f || !unknown.empty()) return;
    gas::MoleFractions x{};
    bool complete = true;
    for (std::size_t s = 0; s < gas::kSpeciesCount; ++s) {
      const auto value = f->get(gas::kSpecies[s].name);
      if (!value) continue;
      const auto v = readQuantity(m_r, *value, gas::kSpecies[s].name, Dimension::Dimensionless,
                                  Bound::Fraction, Reading::Absolute);
      complete = complete && v.has_value();
      if (v) x[s] = *v;
    }
    if (!complete) return;
    const double sum = std::accumulate(x.begin(), x.end(), 0.0);
    if (std::abs(sum - 1.0) > 1e-3) {
      m_r.error(node, "mole fractions in composition sum to " + number(sum) +
                          ", not 1 (tolerance 0.001)");
      return;
    }
    // Within tolerance, so rounding in the file; the gas model wants an exact mixture.
    for (double& v : x) v /= sum;
    m_s.atmosphere.composition = x;
  }

  void readLimits(const Fields& top) {
    const auto node = top.get("limits");
    if (!node) return;
    auto f = Fields::open(m_r, *node, "limits", kLimitsKeys);
    if (!f) return;
    Limits limits;
    if (auto v = f->quantity("evacuation_pressure", Dimension::Pressure, Bound::Positive)) {
      limits.evacuationPressure_pa = *v;
    }
    if (auto v = f->quantity("min_ppO2", Dimension::Pressure, Bound::Positive)) {
      limits.minPpO2_pa = *v;
    }
    if (auto v = f->quantity("max_ppCO2", Dimension::Pressure, Bound::Positive)) {
      limits.maxPpCo2_pa = *v;
    }
    if (auto v = f->quantity("nominal_ppO2_low", Dimension::Pressure, Bound::Positive)) {
      limits.nominalPpO2Low_pa = *v;
    }
    if (auto v = f->quantity("nominal_ppO2_high", Dimension::Pressure, Bound::Positive)) {
      limits.nominalPpO2High_pa = *v;
    }
    if (auto v = f->quantity("min_humidity", Dimension::Dimensionless, Bound::Fraction)) {
      limits.minHumidity = *v;
    }
    if (auto v = f->quantity("max_humidity", Dimension::Dimensionless, Bound::Fraction)) {
      limits.maxHumidity = *v;
    }
    orderedBand(*f, "nominal_ppO2_low", "nominal_ppO2_high", limits.nominalPpO2Low_pa,
                limits.nominalPpO2High_pa);
    orderedBand(*f, "min_humidity", "max_humidity", limits.minHumidity, limits.maxHumidity);
    m_s.limits = limits;
  }

  // A band whose low end is not below its high end cannot be met: name both ends.
  void orderedBand(const Fields& f, std::string_view low, std::string_view high, double lowValue,
                   double highValue) {
    if (lowValue < highValue) return;
    const auto node = f.get(high) ? f.get(high) : f.get(low);
    if (!node) return;
    m_r.error(*node, std::string(low) + " (" + number(lowValue) + ") must be below " +
                         std::string(high) + " (" + number(highValue) + ") in limits");
  }

  void readMetabolism(const Fields& top) {
    const auto node = top.get("metabolism");
    if (!node) return;
    auto f = Fields::open(m_r, *node, "metabolism", kMetabolismKeys);
    if (!f) return;
    Metabolism& m = m_s.metabolism;
    if (auto v = f->quantity("o2", Dimension::MassRate, Bound::NonNegative)) {
      m.o2Consumption_kg_s = *v;
    }
    if (auto v = f->quantity("co2", Dimension::MassRate, Bound::NonNegative)) {
      m.co2Production_kg_s = *v;
    }
    if (auto v = f->quantity("h2o", Dimension::MassRate, Bound::NonNegative)) {
      m.h2oProduction_kg_s = *v;
    }
    if (auto v = f->quantity("spread", Dimension::Dimensionless, Bound::NonNegative)) {
      m.spread_fraction = *v;
    }
  }

  // The id of an entry, claimed in `table`; nullopt if absent. Duplicates keep their entry
  // (so later references resolve) but are reported.
  std::optional<std::string> readId(Fields& f, IdTable& table, std::string_view kind, bool strict) {
    auto id = f.text("id", Need::Required);
    if (!id) return std::nullopt;
    const YAML::Node node = *f.get("id");
    f.rename(std::string(kind) + " " + inQuotes(*id));
    if (strict && !validId(*id)) {
      m_r.error(node, std::string(kind) + " id " + inQuotes(*id) +
                          " may use only a-z, 0-9 and '-' (it names telemetry channels)");
    }
    table.claim(m_r, node, *id);
    return id;
  }

  void readModules(const Fields& top) {
    if (!top.has("modules")) {
      top.missing("modules");
      return;
    }
    const auto list = items(m_r, top, "modules");
    if (list.empty() && top.get("modules")->IsSequence()) {
      m_r.error(*top.get("modules"), "station has no modules");
    }
    for (const auto& node : list) {
      if (m_r.full()) return;
      auto f = Fields::open(m_r, node, "module", kModuleKeys);
      if (!f) continue;
      const auto id = readId(*f, m_places, "module", true);
      if (!id) continue;
      m_moduleIds.add(*id);
      Module m;
      m.id = *id;
      m.where = m_r.at(node);
      m.name = f->text("name").value_or(*id);
      m.vehicle = f->text("vehicle").value_or(std::string(kDefaultVehicle));
      if (auto v = f->quantity("volume", Dimension::Volume, Bound::Positive, Need::Required)) {
        m.volume_m3 = *v;
        m.wallArea_m2 = sphereArea(*v);
      }
      if (auto v = f->quantity("wall_area", Dimension::Area, Bound::Positive)) m.wallArea_m2 = *v;
      m.temperature_k = f->quantity("temperature", Dimension::Temperature, Bound::Positive);
      if (auto v = f->quantity("orbital_swing", Dimension::Temperature, Bound::NonNegative,
                               Need::Optional, Reading::Difference)) {
        m.orbitalSwing_k = *v;
      }
      if (auto v = f->quantity("orbital_phase", Dimension::Angle, Bound::Any)) {
        m.orbitalPhase_rad = *v;
      }
      if (auto v = f->quantity("wall_heat_transfer", Dimension::HeatTransferCoefficient,
                               Bound::NonNegative)) {
        m.wallHeatTransfer_w_m2k = *v;
      }
      m.coldestSurface_k = f->quantity("coldest_surface", Dimension::Temperature, Bound::Positive);
      m.coldestSurface_k = waterRange(*f, "coldest_surface", m.coldestSurface_k, 233.15);
      if (std::find(m_vehicles.begin(), m_vehicles.end(), m.vehicle) == m_vehicles.end()) {
        m_vehicles.push_back(m.vehicle);
      }
      m_s.modules.push_back(std::move(m));
    }
  }

  void readHatches(const Fields& top) {
    for (const auto& node : items(m_r, top, "hatches")) {
      if (m_r.full()) return;
      auto f = Fields::open(m_r, node, "hatch", kHatchKeys);
      if (!f) continue;
      const auto id = readId(*f, m_places, "hatch", true);
      if (!id) continue;
      m_hatchIds.add(*id);
      Hatch h;
      h.id = *id;
      h.where = m_r.at(node);
      readBetween(*f, h);
      const auto diameter = f->quantity("diameter", Dimension::Length, Bound::Positive);
      const auto area = f->quantity("area", Dimension::Area, Bound::Positive);
      if (f->has("diameter") && f->has("area")) {
        m_r.error(*f->get("area"), f->what() + " gives both diameter and area; keep one");
      } else if (!f->has("diameter") && !f->has("area")) {
        f->missing("diameter' or 'area");
      }
      if (diameter) h.area_m2 = gas::circleArea(*diameter);
      if (area) h.area_m2 = *area;
      if (auto v = f->quantity("cd", Dimension::Dimensionless, Bound::OpenFraction)) h.cd = *v;
      if (auto v = f->flag("open")) h.open = *v;
      if (auto v = f->flag("closable")) h.closable = *v;
      if (auto v = f->quantity("operate_time", Dimension::Time, Bound::Positive)) {
        h.operateTime_s = *v;
      }
      // Absent: the sourced default exchange (kDefaultHatchExchange_m3_s); an explicit
      // `ventilation: 0 m^3/s` means none.
      if (auto v = f->quantity("ventilation", Dimension::VolumeRate, Bound::NonNegative)) {
        h.ventilation_m3_s = *v;
      }
      m_s.hatches.push_back(std::move(h));
    }
  }

  void readBetween(const Fields& f, Hatch& h) {
    const auto between = f.get("between");
    if (!between) {
      f.missing("between");
      return;
    }
    if (!between->IsSequence() || between->size() != 2) {
      m_r.error(*between, "between in " + f.what() + " must list two modules: [a, b]");
      return;
    }
    std::array<std::string*, 2> ends{&h.moduleA, &h.moduleB};
    for (std::size_t i = 0; i < 2; ++i) {
      const YAML::Node end = (*between)[i];
      if (!end.IsScalar()) {
        m_r.error(end, "between in " + f.what() + " must list module ids");
        continue;
      }
      *ends[i] = end.Scalar();
      reference(end, end.Scalar(), m_moduleIds, f.what() + " joins", "module");
    }
    if (!h.moduleA.empty() && h.moduleA == h.moduleB) {
      m_r.error(*between, f.what() + " joins module " + inQuotes(h.moduleA) + " to itself");
    }
  }

  void readCrew(const Fields& top) {
    for (const auto& node : items(m_r, top, "crew")) {
      if (m_r.full()) return;
      auto f = Fields::open(m_r, node, "crew member", kCrewKeys);
      if (!f) continue;
      const auto id = readId(*f, m_crewIds, "crew", false);
      if (!id) continue;
      CrewMember c;
      c.id = *id;
      c.where = m_r.at(node);
      CrewNodes nodes;
      if (auto v = f->text("location", Need::Required)) {
        c.location = *v;
        nodes.location = *f->get("location");
        if (!reference(nodes.location, c.location, m_moduleIds, f->what() + " is in", "module")) {
          c.location.clear();
        }
      }
      if (auto v = f->text("lifeboat", Need::Required)) {
        c.lifeboat = *v;
        nodes.lifeboat = *f->get("lifeboat");
        if (std::find(m_vehicles.begin(), m_vehicles.end(), c.lifeboat) == m_vehicles.end()) {
          m_r.error(nodes.lifeboat, f->what() + " has lifeboat " + inQuotes(c.lifeboat) +
                                        ", a vehicle no module belongs to" +
                                        didYouMean(c.lifeboat, m_vehicles));
          c.lifeboat.clear();
        }
      }
      m_s.crew.push_back(c);
      m_crewNodes.push_back(nodes);
    }
  }

  void readLifeSupport(const Fields& top) {
    for (const auto& node : items(m_r, top, "life_support")) {
      if (m_r.full()) return;
      auto f = Fields::open(m_r, node, "life support", kLifeSupportKeys);
      if (!f) continue;
      const auto id = readId(*f, m_lifeSupportIds, "life support", false);
      if (!id) continue;
      LifeSupport ls;
      ls.id = *id;
      ls.where = m_r.at(node);
      const auto kind = f->choice("kind", kLifeSupportKinds, Need::Required);
      if (kind) ls.kind = static_cast<LifeSupportKind>(*kind);
      if (auto v = f->text("module", Need::Required)) {
        ls.module = *v;
        reference(*f->get("module"), *v, m_moduleIds, f->what() + " is in", "module");
      }
      const bool generates =
          ls.kind == LifeSupportKind::O2Generation || ls.kind == LifeSupportKind::Vent;
      if (kind) {
        // Generators and vents move a mass; removers process a flow of cabin air.
        const std::string_view needed = generates ? "rate" : "flow";
        const std::string_view foreign = generates ? "flow" : "rate";
        if (!f->has(needed)) f->missing(needed);
        if (auto v = f->get(foreign)) {
          m_r.error(*v, std::string(foreign) + " does not apply to " +
                            std::string(kLifeSupportKinds[*kind]) + " (it takes " +
                            std::string(needed) + ")");
        }
      }
      if (auto v = f->quantity("rate", Dimension::MassRate, Bound::NonNegative)) ls.rate_kg_s = *v;
      if (auto v = f->quantity("flow", Dimension::VolumeRate, Bound::NonNegative)) {
        ls.flow_m3_s = *v;
      }
      if (auto v = f->quantity("efficiency", Dimension::Dimensionless, Bound::Fraction)) {
        ls.efficiency = *v;
      }
      readCoil(*f, ls, kind.has_value());
      if (auto v = f->flag("vented")) ls.vented = *v;
      if (auto v = f->quantity("spread", Dimension::Dimensionless, Bound::NonNegative)) {
        ls.spread_fraction = *v;
      }
      m_s.lifeSupport.push_back(std::move(ls));
    }
  }

  // A condensing heat exchanger: only water removal condenses on a coil.
  void readCoil(Fields& f, LifeSupport& ls, bool kindKnown) {
    const auto node = f.get("coil_temperature");
    if (!node) return;
    if (kindKnown && ls.kind != LifeSupportKind::H2oRemoval) {
      m_r.error(*node,
                "coil_temperature applies only to h2o_removal (a condensing heat "
                "exchanger), not to " +
                    std::string(kLifeSupportKinds[static_cast<std::size_t>(ls.kind)]));
      return;
    }
    ls.coilTemperature_k =
        waterRange(f, "coil_temperature",
                   f.quantity("coil_temperature", Dimension::Temperature, Bound::Positive), 273.15);
  }

  // The saturation formula is over liquid water and fitted from -40 to 50 degC (a coil below
  // 0 degC would frost, which the model does not have): refuse temperatures outside.
  std::optional<double> waterRange(const Fields& f, std::string_view key,
                                   std::optional<double> value, double lowest_k) {
    constexpr double kHighest_k = 323.15;
    if (!value || (*value >= lowest_k && *value <= kHighest_k)) return value;
    m_r.error(*f.get(key), std::string(key) + " in " + f.what() + " must lie between " +
                               number(lowest_k - 273.15) + " and 50 degC (over liquid water)");
    return std::nullopt;
  }

  void readSensors(const Fields& top) {
    IdTable channels;
    for (const auto& node : items(m_r, top, "sensors")) {
      if (m_r.full()) return;
      auto f = Fields::open(m_r, node, "sensor", kSensorKeys);
      if (!f) continue;
      Sensor s;
      s.where = m_r.at(node);
      const auto quantity = f->choice("quantity", kQuantities, Need::Required);
      if (quantity) s.quantity = static_cast<Quantity>(*quantity);
      const auto module = f->text("module", Need::Required);
      if (module) s.module = *module;
      if (auto channel = f->text("channel")) {
        s.channel = *channel;
        // Telemetry files hold it as one field of one line (',' and '"' are quoted there).
        if (s.channel.empty() || s.channel.find_first_of("\r\n") != std::string::npos)
          m_r.error(*f->get("channel"), "sensor channel " + inQuotes(s.channel) +
                                            " must not be empty or hold a line break");
        channels.claim(m_r, *f->get("channel"), s.channel);
      } else if (module && quantity && !f->has("channel")) {
        s.channel = *module + "." + std::string(kQuantities[*quantity]);
        channels.claim(m_r, node, s.channel);
      }
      f->rename("sensor " + inQuotes(s.channel));
      if (module && quantity) {
        if (s.quantity == Quantity::HatchState) {
          reference(*f->get("module"), *module, m_hatchIds, f->what() + " watches", "hatch");
        } else {
          reference(*f->get("module"), *module, m_moduleIds, f->what() + " is in", "module");
        }
      }
      const Dimension dim = sensedDimension(s.quantity);
      const double scale = sensorScale(s.quantity);
      if (auto v =
              f->quantity("noise", dim, Bound::NonNegative, Need::Optional, Reading::Difference)) {
        s.noise = scale * *v;
      }
      if (auto v = f->quantity("resolution", dim, Bound::NonNegative, Need::Optional,
                               Reading::Difference)) {
        s.resolution = scale * *v;
      }
      if (auto v = f->quantity("bias", dim, Bound::Any, Need::Optional, Reading::Difference)) {
        s.bias = scale * *v;
      }
      if (auto v = f->quantity("period", Dimension::Time, Bound::Positive)) s.period_s = *v;
      m_s.sensors.push_back(std::move(s));
    }
  }

  void readTanks(const Fields& top) {
    for (const auto& node : items(m_r, top, "repress_tanks")) {
      if (m_r.full()) return;
      auto f = Fields::open(m_r, node, "repress tank", kTankKeys);
      if (!f) continue;
      const auto id = readId(*f, m_tankIds, "repress tank", false);
      if (!id) continue;
      RepressTank t;
      t.id = *id;
      t.where = m_r.at(node);
      if (auto v = f->text("module", Need::Required)) {
        t.module = *v;
        reference(*f->get("module"), *v, m_moduleIds, f->what() + " is in", "module");
      }
      if (auto y = f->gas("gas", Need::Required)) t.composition = *y;
      if (auto v = f->quantity("mass", Dimension::Mass, Bound::Positive, Need::Required)) {
        t.mass_kg = *v;
      }
      m_s.repressTanks.push_back(std::move(t));
    }
  }

  void warnUnjoinedModules() {
    if (m_s.modules.size() < 2) return;
    std::unordered_set<std::string> joined;
    for (const auto& h : m_s.hatches) {
      joined.insert(h.moduleA);
      joined.insert(h.moduleB);
    }
    for (const auto& m : m_s.modules) {
      if (joined.count(m.id) == 0) {
        m_r.report(m.where, Diagnostic::Warning,
                   "module " + inQuotes(m.id) + " is not reached by any hatch");
      }
    }
  }

  // Union-find over modules: linear in the station, so hostile files stay fast.
  std::size_t root(std::vector<std::size_t>& parent, std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }

  // Every hatch counts, open or closed: a closed hatch can be opened on the way out.
  void checkLifeboatPaths() {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m_s.modules.size(); ++i) index.emplace(m_s.modules[i].id, i);
    std::vector<std::size_t> parent(m_s.modules.size());
    std::iota(parent.begin(), parent.end(), 0);
    for (const auto& h : m_s.hatches) {
      const auto a = index.find(h.moduleA), b = index.find(h.moduleB);
      if (a == index.end() || b == index.end()) continue;
      parent[root(parent, a->second)] = root(parent, b->second);
    }
    std::set<std::pair<std::size_t, std::string>> reachable;  // (component, vehicle)
    for (std::size_t i = 0; i < m_s.modules.size(); ++i) {
      reachable.emplace(root(parent, i), m_s.modules[i].vehicle);
    }
    for (std::size_t c = 0; c < m_s.crew.size(); ++c) {
      const CrewMember& member = m_s.crew[c];
      if (member.location.empty() || member.lifeboat.empty()) continue;
      const auto at = index.find(member.location);
      if (at == index.end()) continue;
      if (reachable.count({root(parent, at->second), member.lifeboat}) == 0) {
        m_r.error(m_crewNodes[c].lifeboat,
                  "crew " + inQuotes(member.id) + " in " + inQuotes(member.location) +
                      " has no path through hatches to lifeboat " + inQuotes(member.lifeboat));
      }
    }
  }

  static constexpr std::string_view kDefaultVehicle = "station";

  Reader& m_r;
  Station& m_s;
  IdTable m_places;  // modules and hatches share one namespace (formats.md)
  IdTable m_moduleIds;
  IdTable m_hatchIds;
  IdTable m_crewIds;
  IdTable m_lifeSupportIds;
  IdTable m_tankIds;
  std::vector<std::string> m_vehicles;
  std::vector<CrewNodes> m_crewNodes;
};

}  // namespace

void readStation(Reader& r, const YAML::Node& root, Station& station) {
  StationReader(r, station).read(root);
}

}  // namespace leakhunt::model::yaml
