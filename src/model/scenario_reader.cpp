#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "gas/orifice.hpp"
#include "model/did_you_mean.hpp"
#include "model/parsers.hpp"
#include "model/steady_air.hpp"
#include "model/utc_time.hpp"

namespace leakhunt::model::yaml {
namespace {

using gas::Dimension;

constexpr std::array<std::string_view, 8> kScenarioKeys{
    "name", "station", "start", "duration", "seed", "output_period", "thermal", "events"};
constexpr std::array<std::string_view, 2> kThermalModels{"isothermal", "adiabatic-walls"};
constexpr std::array<std::string_view, 7> kActions{
    "leak", "hatch", "patch", "repress", "crew_move", "temperature", "sensor_fault"};
constexpr std::array<std::string_view, 8> kEventKeys{
    "at", "leak", "hatch", "patch", "repress", "crew_move", "temperature", "sensor_fault"};
constexpr std::array<std::string_view, 7> kLeakKeys{"id", "module", "diameter", "cda",
                                                    "cd", "onset",  "duration"};
constexpr std::array<std::string_view, 3> kOnsets{"step", "ramp", "growth"};
constexpr std::array<std::string_view, 2> kHatchEventKeys{"id", "state"};
constexpr std::array<std::string_view, 2> kHatchStates{"closed", "open"};
constexpr std::array<std::string_view, 4> kPatchKeys{"leak", "residual_diameter", "residual_cda",
                                                     "failure"};
constexpr std::array<std::string_view, 4> kFailureKeys{"after", "duration", "diameter", "cda"};
constexpr std::array<std::string_view, 7> kRepressKeys{"module",   "gas",   "mass", "rate",
                                                       "duration", "error", "tank"};
constexpr std::array<std::string_view, 2> kCrewMoveKeys{"crew", "module"};
constexpr std::array<std::string_view, 2> kTemperatureKeys{"module", "set_point"};
constexpr std::array<std::string_view, 4> kSensorFaultKeys{"channel", "kind", "bias", "duration"};
constexpr std::array<std::string_view, 3> kFaultKinds{"dropout", "bias_jump", "stuck"};

// What the scenario may refer to in its station, by id.
struct StationIndex {
  bool known = false;  // false when the station could not be read: references go unchecked
  std::vector<std::string> modules, hatches, crew, tanks, channels;
  std::unordered_map<std::string, const Hatch*> hatchById;
  std::unordered_map<std::string, const Sensor*> sensorByChannel;
  std::unordered_map<std::string, const RepressTank*> tankById;
  std::unordered_map<std::string, bool> moduleIds, crewIds;

  explicit StationIndex(const Station& s, bool readable) : known(readable) {
    for (const auto& m : s.modules) {
      modules.push_back(m.id);
      moduleIds.emplace(m.id, true);
    }
    for (const auto& h : s.hatches) {
      hatches.push_back(h.id);
      hatchById.emplace(h.id, &h);
    }
    for (const auto& c : s.crew) {
      crew.push_back(c.id);
      crewIds.emplace(c.id, true);
    }
    for (const auto& t : s.repressTanks) {
      tanks.push_back(t.id);
      tankById.emplace(t.id, &t);
    }
    for (const auto& x : s.sensors) {
      channels.push_back(x.channel);
      sensorByChannel.emplace(x.channel, &x);
    }
  }
};

struct LeakInfo {
  double time_s = 0.0;
  double cd = 0.65;
  bool timed = false;
  double cda_m2 = 0.0;  // the full hole; 0 when its size could not be read
};

// A patch names a leak that may be written further down, and needs its Cd to turn
// diameters into CdA; so it is finished once every event has been read.
struct PendingPatch {
  std::size_t event = 0;
  YAML::Node leakNode;
  std::optional<YAML::Node> residualNode;
  std::optional<double> residualDiameter_m, failureDiameter_m;
  std::optional<double> time_s;
};

class ScenarioReader {
 public:
  ScenarioReader(Reader& r, Scenario& sc) : m_r(r), m_sc(sc) {}

  void read(const YAML::Node& root, const std::string& baseDir) {
    auto top = Fields::open(m_r, root, "scenario", kScenarioKeys);
    if (!top) return;
    m_sc.where = m_r.at(root);
    if (auto name = top->text("name")) m_sc.name = *name;
    if (m_sc.name.empty()) m_sc.name = std::filesystem::path(m_r.file()).stem().string();
    const bool stationReadable = readStationField(*top, baseDir);
    readStart(*top);
    m_duration_s = top->quantity("duration", Dimension::Time, Bound::Positive, Need::Required);
    if (m_duration_s) m_sc.duration_s = *m_duration_s;
    if (auto v = top->count("seed")) m_sc.seed = *v;
    if (auto v = top->quantity("output_period", Dimension::Time, Bound::Positive)) {
      m_sc.outputPeriod_s = *v;
    }
    if (auto v = top->choice("thermal", kThermalModels)) {
      m_sc.thermal = static_cast<ThermalModel>(*v);
    }
    const StationIndex index(m_sc.station, stationReadable);
    m_index = &index;
    readEvents(*top);
    finishPatches();
    std::stable_sort(m_sc.events.begin(), m_sc.events.end(),
                     [](const Event& a, const Event& b) { return a.time_s < b.time_s; });
    warnHatchesFasterThanTheCrew();
    m_index = nullptr;
  }

 private:
  // True when a station was read far enough for references into it to be checked.
  bool readStationField(const Fields& top, const std::string& baseDir) {
    const auto node = top.get("station");
    if (!node) {
      top.missing("station");
      return false;
    }
    if (node->IsMap()) {
      readStation(m_r, *node, m_sc.station);
      return true;
    }
    if (!node->IsScalar()) {
      m_r.error(*node, "station must be a file path or an inline mapping");
      return false;
    }
    m_sc.stationPath = node->Scalar();
    std::filesystem::path path(m_sc.stationPath);
    if (path.is_relative() && !baseDir.empty()) path = std::filesystem::path(baseDir) / path;
    const std::string shown = path.lexically_normal().string();
    auto text = readTextFile(shown);
    if (!text) {
      m_r.error(*node, text.error().message);
      return false;
    }
    Reader stationReader = m_r.forFile(shown);
    const auto doc = readDocument(stationReader, *text);
    if (!doc) return false;
    readStation(stationReader, *doc, m_sc.station);
    return true;
  }

  void readStart(const Fields& top) {
    const auto t = top.time("start", Need::Required);
    if (!t) return;
    m_start = *t;
    m_sc.startUnix_s = static_cast<int64_t>(std::floor(*t));
    if (*t != std::floor(*t)) {
      m_r.warning(*top.get("start"), "start is rounded down to a whole second");
    }
  }

  bool reference(const YAML::Node& node, const std::string& id,
                 const std::vector<std::string>& known, const std::string& context,
                 std::string_view kind) {
    if (!m_index->known) return true;
    if (std::find(known.begin(), known.end(), id) != known.end()) return true;
    m_r.error(node, context + " unknown " + std::string(kind) + " " + inQuotes(id) +
                        didYouMean(id, known));
    return false;
  }

  // Hashed lookups first: hostile files may hold many ids and many references.
  bool referenceModule(const YAML::Node& node, const std::string& id, const std::string& ctx) {
    if (m_index->moduleIds.count(id) != 0) return true;
    return reference(node, id, m_index->modules, ctx, "module");
  }

  std::optional<double> readTime(const YAML::Node& node) {
    if (!node.IsScalar()) {
      m_r.error(node, "at must be a UTC time or a time from the start like \"+1.5 h\"");
      return std::nullopt;
    }
    const std::string& text = node.Scalar();
    double t = 0.0;
    if (looksLikeDate(text)) {
      const auto absolute = parseUtc(text);
      if (!absolute) {
        m_r.error(node, "at: " + absolute.error().message);
        return std::nullopt;
      }
      if (!m_start) return std::nullopt;  // already reported: no usable start
      t = *absolute - static_cast<double>(m_sc.startUnix_s);
    } else {
      const auto relative = gas::parseQuantity(text, Dimension::Time);
      if (!relative) {
        m_r.error(node, "at: " + relative.error().message);
        return std::nullopt;
      }
      t = *relative;
    }
    if (m_duration_s && (t < 0.0 || t > *m_duration_s)) {
      m_r.error(node, "event at " + inQuotes(text) + " is outside the scenario [start, start + " +
                          durationText() + "]");
      return std::nullopt;
    }
    return t;
  }

  std::string durationText() const {
    if (m_durationNode && m_durationNode->IsScalar()) return m_durationNode->Scalar();
    return number(m_sc.duration_s) + " s";
  }

  void readEvents(const Fields& top) {
    m_durationNode = top.get("duration");
    for (const auto& node : items(m_r, top, "events")) {
      if (m_r.full()) return;
      auto f = Fields::open(m_r, node, "event", kEventKeys);
      if (!f) continue;
      std::vector<std::string_view> actions;
      for (std::string_view a : kActions) {
        if (f->has(a)) actions.push_back(a);
      }
      if (actions.empty()) {
        m_r.error(node,
                  "event has no action; give one of leak, hatch, patch, repress, "
                  "crew_move, temperature, sensor_fault");
      } else if (actions.size() > 1) {
        m_r.error(*f->get(actions[1]), "event has both " + inQuotes(actions[0]) + " and " +
                                           inQuotes(actions[1]) + "; give one action per event");
      }
      std::optional<double> time;
      if (const auto at = f->get("at")) {
        time = readTime(*at);
      } else {
        f->missing("at");
      }
      if (actions.size() != 1) continue;
      const YAML::Node body = *f->get(actions[0]);
      Event e;
      e.time_s = time.value_or(0.0);
      e.where = m_r.at(node);
      std::optional<EventAction> action;
      const std::string_view a = actions[0];
      if (a == "leak") action = readLeak(body, time);
      if (a == "hatch") action = readHatch(body);
      if (a == "patch") action = readPatch(body, time);
      if (a == "repress") action = readRepress(body);
      if (a == "crew_move") action = readCrewMove(body);
      if (a == "temperature") action = readTemperature(body);
      if (a == "sensor_fault") action = readSensorFault(body);
      if (!action) continue;
      e.action = std::move(*action);
      m_sc.events.push_back(std::move(e));
    }
  }

  std::optional<EventAction> readLeak(const YAML::Node& node, std::optional<double> time) {
    auto f = Fields::open(m_r, node, "leak", kLeakKeys);
    if (!f) return std::nullopt;
    LeakEvent leak;
    if (auto id = f->text("id", Need::Required)) {
      leak.id = *id;
      f->rename("leak " + inQuotes(*id));
    }
    if (auto module = f->text("module", Need::Required)) {
      leak.module = *module;
      referenceModule(*f->get("module"), *module, f->what() + " is in");
    }
    if (auto v = f->quantity("cd", Dimension::Dimensionless, Bound::OpenFraction)) leak.cd = *v;
    const auto diameter = f->quantity("diameter", Dimension::Length, Bound::Positive);
    const auto cda = f->quantity("cda", Dimension::Area, Bound::Positive);
    if (f->has("diameter") && f->has("cda")) {
      m_r.error(*f->get("cda"), f->what() + " gives both diameter and cda; keep one");
    } else if (!f->has("diameter") && !f->has("cda")) {
      f->missing("diameter' or 'cda");
    }
    if (diameter) leak.cda_m2 = leak.cd * gas::circleArea(*diameter);
    if (cda) leak.cda_m2 = *cda;
    if (auto onset = f->choice("onset", kOnsets)) leak.onset = static_cast<OnsetProfile>(*onset);
    if (leak.onset == OnsetProfile::Step) {
      if (auto d = f->get("duration")) {
        m_r.error(*d, "duration applies to ramp and growth onsets, not step");
      }
    } else if (auto d = f->quantity("duration", Dimension::Time, Bound::Positive, Need::Required)) {
      leak.onsetDuration_s = *d;
    }
    if (!leak.id.empty()) {
      const LeakInfo info{time.value_or(0.0), leak.cd, time.has_value(), leak.cda_m2};
      if (m_leaks.emplace(leak.id, info).second) {
        m_leakIds.push_back(leak.id);
      } else {
        m_r.error(*f->get("id"), "duplicate leak id " + inQuotes(leak.id));
      }
    }
    return leak;
  }

  std::optional<EventAction> readHatch(const YAML::Node& node) {
    auto f = Fields::open(m_r, node, "hatch event", kHatchEventKeys);
    if (!f) return std::nullopt;
    HatchEvent h;
    if (auto id = f->text("id", Need::Required)) {
      h.hatch = *id;
      if (m_index->hatchById.count(*id) == 0) {
        reference(*f->get("id"), *id, m_index->hatches, "hatch event names", "hatch");
      } else if (!m_index->hatchById.at(*id)->closable) {
        m_r.error(*f->get("id"), "hatch " + inQuotes(*id) +
                                     " cannot be operated (closable: false in the station)");
      }
    }
    if (auto state = f->choice("state", kHatchStates, Need::Required)) h.open = *state == 1;
    return h;
  }

  // A diameter or a CdA under two names; nullopt for the diameter when CdA was given.
  // A patch's residual may be zero (sealed); a leak or a regrown patch must have a size.
  void readSize(const Fields& f, std::string_view diameterKey, std::string_view cdaKey,
                std::optional<double>& diameter, double& cda, Need need,
                Bound bound = Bound::Positive) {
    diameter = f.quantity(diameterKey, Dimension::Length, bound);
    const auto area = f.quantity(cdaKey, Dimension::Area, bound);
    if (f.has(diameterKey) && f.has(cdaKey)) {
      m_r.error(*f.get(cdaKey), f.what() + " gives both " + std::string(diameterKey) + " and " +
                                    std::string(cdaKey) + "; keep one");
    } else if (need == Need::Required && !f.has(diameterKey) && !f.has(cdaKey)) {
      f.missing(std::string(diameterKey) + "' or '" + std::string(cdaKey));
    }
    if (area) cda = *area;
  }

  std::optional<EventAction> readPatch(const YAML::Node& node, std::optional<double> time) {
    auto f = Fields::open(m_r, node, "patch", kPatchKeys);
    if (!f) return std::nullopt;
    PatchEvent p;
    PendingPatch pending;
    pending.event = m_sc.events.size();
    pending.time_s = time;
    if (auto leak = f->text("leak", Need::Required)) {
      p.leak = *leak;
      pending.leakNode = *f->get("leak");
    }
    readSize(*f, "residual_diameter", "residual_cda", pending.residualDiameter_m, p.residualCda_m2,
             Need::Optional, Bound::NonNegative);
    if (auto residual = f->get("residual_diameter")) pending.residualNode = *residual;
    if (auto residual = f->get("residual_cda")) pending.residualNode = *residual;
    if (auto failure = f->get("failure")) {
      auto ff = Fields::open(m_r, *failure, "patch failure", kFailureKeys);
      if (ff) {
        p.fails = true;
        if (auto v = ff->quantity("after", Dimension::Time, Bound::Positive, Need::Required)) {
          p.failureAfter_s = *v;
        }
        if (auto v = ff->quantity("duration", Dimension::Time, Bound::Positive, Need::Required)) {
          p.failureDuration_s = *v;
        }
        readSize(*ff, "diameter", "cda", pending.failureDiameter_m, p.failureCda_m2,
                 Need::Required);
      }
    }
    if (!p.leak.empty()) m_pending.push_back(pending);
    return p;
  }

  void finishPatches() {
    for (const PendingPatch& pending : m_pending) {
      if (pending.event >= m_sc.events.size()) continue;
      auto* patch = std::get_if<PatchEvent>(&m_sc.events[pending.event].action);
      if (patch == nullptr) continue;
      const auto leak = m_leaks.find(patch->leak);
      if (leak == m_leaks.end()) {
        m_r.error(pending.leakNode, "patch names unknown leak " + inQuotes(patch->leak) +
                                        didYouMean(patch->leak, m_leakIds));
        continue;
      }
      const LeakInfo& info = leak->second;
      if (pending.residualDiameter_m) {
        patch->residualCda_m2 = info.cd * gas::circleArea(*pending.residualDiameter_m);
      }
      if (pending.failureDiameter_m) {
        patch->failureCda_m2 = info.cd * gas::circleArea(*pending.failureDiameter_m);
      }
      // A patch that leaves more hole than it covers is a typo (mm for cm, a swapped pair), and
      // would make the patched leak grow.
      if (pending.residualNode && info.cda_m2 > 0.0 &&
          patch->residualCda_m2 > info.cda_m2 * (1.0 + 1e-9)) {
        const auto size = [&](double cda_m2) {
          return "CdA " + number(cda_m2 * 1e6) + " mm^2, " +
                 number(1e3 * gas::holeDiameter(cda_m2, info.cd)) + " mm at Cd " + number(info.cd);
        };
        m_r.error(*pending.residualNode,
                  "patch on leak " + inQuotes(patch->leak) + " leaves a residual hole (" +
                      size(patch->residualCda_m2) + ") larger than the hole it patches (" +
                      size(info.cda_m2) + "); allowed: 0 (sealed) up to the leak's own size");
      }
      if (info.timed && pending.time_s && *pending.time_s < info.time_s) {
        m_r.error(pending.leakNode,
                  "patch on leak " + inQuotes(patch->leak) + " comes before the leak starts");
      }
    }
  }

  std::optional<EventAction> readRepress(const YAML::Node& node) {
    auto f = Fields::open(m_r, node, "repress", kRepressKeys);
    if (!f) return std::nullopt;
    RepressEvent rep;
    if (auto module = f->text("module", Need::Required)) {
      rep.module = *module;
      referenceModule(*f->get("module"), *module, "repress is into");
    }
    const RepressTank* tank = nullptr;
    if (auto id = f->text("tank")) {
      rep.tank = *id;
      const auto it = m_index->tankById.find(*id);
      if (it != m_index->tankById.end()) {
        tank = it->second;
      } else {
        reference(*f->get("tank"), *id, m_index->tanks, "repress draws on", "repress tank");
      }
    }
    if (auto y =
            f->gas("gas", tank != nullptr || f->has("tank") ? Need::Optional : Need::Required)) {
      rep.composition = *y;
    } else if (tank != nullptr) {
      rep.composition = tank->composition;
    }
    const auto duration = f->quantity("duration", Dimension::Time, Bound::Positive);
    if (duration) rep.duration_s = *duration;
    const auto mass = f->quantity("mass", Dimension::Mass, Bound::Positive);
    const auto rate = f->quantity("rate", Dimension::MassRate, Bound::Positive);
    if (f->has("mass") && f->has("rate")) {
      m_r.error(*f->get("rate"), "repress gives both mass and rate; keep one");
    } else if (!f->has("mass") && !f->has("rate")) {
      f->missing("mass' or 'rate");
    } else if (f->has("rate") && !f->has("duration")) {
      m_r.error(*f->get("rate"), "repress with a rate needs a duration");
    }
    if (mass) rep.mass_kg = *mass;
    if (rate && duration) rep.mass_kg = *rate * *duration;
    if (auto v = f->quantity("error", Dimension::Dimensionless, Bound::NonNegative)) {
      rep.error_fraction = *v;
    }
    warnImplausibleRepress(node, rep.mass_kg);
    if (tank != nullptr && rep.mass_kg > 0.0) {
      double& drawn = m_drawn_kg[tank->id];
      drawn += rep.mass_kg;
      if (drawn > tank->mass_kg * (1.0 + 1e-9)) {
        m_r.warning(node, "repress events draw " + number(drawn) + " kg from tank " +
                              inQuotes(tank->id) + ", which holds " + number(tank->mass_kg) +
                              " kg");
      }
    }
    return rep;
  }

  // A hatch operated again sooner than the crew can move it (its operate_time) is no operation
  // a crew makes: 10,000 toggles 1.7 s apart went in silently, and every block they touch is one
  // the detector cannot read (issue 21 item 9). One warning per hatch, at its first such event.
  void warnHatchesFasterThanTheCrew() {
    struct Pace {
      double last_s = -1.0;
      int operations = 0, tooSoon = 0;
      double firstGap_s = 0.0;
      SourceLocation first;
    };
    std::map<std::string, Pace> paces;
    for (const Event& e : m_sc.events) {
      const auto* h = std::get_if<HatchEvent>(&e.action);
      if (h == nullptr) continue;
      Pace& p = paces[h->hatch];
      const auto hatch = m_index->hatchById.find(h->hatch);
      if (p.operations++ > 0 && hatch != m_index->hatchById.end() &&
          e.time_s - p.last_s < hatch->second->operateTime_s && p.tooSoon++ == 0) {
        p.firstGap_s = e.time_s - p.last_s;
        p.first = e.where;
      }
      p.last_s = e.time_s;
    }
    for (const auto& [id, p] : paces) {
      if (p.tooSoon == 0) continue;
      const double operate_s = m_index->hatchById.at(id)->operateTime_s;
      m_r.report(p.first, Diagnostic::Warning,
                 "hatch " + inQuotes(id) + " is operated " + number(p.firstGap_s) +
                     " s after its previous operation, sooner than its operate_time of " +
                     number(operate_s) + " s; " + std::to_string(p.tooSoon) + " of its " +
                     std::to_string(p.operations) +
                     " operations come that soon. A crew cannot move it that fast, and the "
                     "analysis cannot read the station across a hatch while it moves");
    }
  }

  // More gas than the whole station holds (enough to double its pressure with every hatch open)
  // is no repress but a slip of unit or exponent: 1e6 kg once went in silently as 6.66e6 mmHg.
  void warnImplausibleRepress(const YAML::Node& node, double mass_kg) {
    double volume_m3 = 0.0;
    for (const auto& m : m_sc.station.modules) volume_m3 += m.volume_m3;
    const double stationAir_kg = nominalStationInventory_kg(m_sc.station);
    if (!(stationAir_kg > 0.0) || !(mass_kg > stationAir_kg)) return;
    m_r.warning(node, "repress of " + number(mass_kg) +
                          " kg is implausible: more than all the air in the station (" +
                          number(stationAir_kg) + " kg in " + number(volume_m3) +
                          " m^3); plausible: above 0 up to " + number(stationAir_kg) + " kg");
  }

  std::optional<EventAction> readCrewMove(const YAML::Node& node) {
    auto f = Fields::open(m_r, node, "crew_move", kCrewMoveKeys);
    if (!f) return std::nullopt;
    CrewMoveEvent move;
    if (auto crew = f->text("crew", Need::Required)) {
      move.crew = *crew;
      if (m_index->crewIds.count(*crew) == 0) {
        reference(*f->get("crew"), *crew, m_index->crew, "crew_move names", "crew member");
      }
    }
    if (auto module = f->text("module", Need::Required)) {
      move.module = *module;
      referenceModule(*f->get("module"), *module, "crew_move is to");
    }
    return move;
  }

  std::optional<EventAction> readTemperature(const YAML::Node& node) {
    auto f = Fields::open(m_r, node, "temperature", kTemperatureKeys);
    if (!f) return std::nullopt;
    TemperatureEvent t;
    if (auto module = f->text("module")) {
      t.module = *module;
      referenceModule(*f->get("module"), *module, "temperature change is in");
    }
    if (auto v =
            f->quantity("set_point", Dimension::Temperature, Bound::Positive, Need::Required)) {
      t.setPoint_k = *v;
    }
    return t;
  }

  std::optional<EventAction> readSensorFault(const YAML::Node& node) {
    auto f = Fields::open(m_r, node, "sensor_fault", kSensorFaultKeys);
    if (!f) return std::nullopt;
    SensorFaultEvent fault;
    Dimension dim = Dimension::Pressure;
    double scale = 1.0;  // a humidity bias is written as a fraction ("5 %"), read in percent
    if (auto channel = f->text("channel", Need::Required)) {
      fault.channel = *channel;
      const auto it = m_index->sensorByChannel.find(*channel);
      if (it == m_index->sensorByChannel.end()) {
        reference(*f->get("channel"), *channel, m_index->channels, "sensor_fault names", "channel");
      } else if (it->second->quantity == Quantity::Temperature) {
        dim = Dimension::Temperature;
      } else if (it->second->quantity == Quantity::HatchState) {
        dim = Dimension::Dimensionless;
      } else if (it->second->quantity == Quantity::RelativeHumidity) {
        dim = Dimension::Dimensionless;
        scale = kPercent;
      }
    }
    const auto kind = f->choice("kind", kFaultKinds, Need::Required);
    if (kind) fault.kind = static_cast<SensorFaultKind>(*kind);
    if (kind && fault.kind == SensorFaultKind::BiasJump) {
      if (auto v = f->quantity("bias", dim, Bound::Any, Need::Required, Reading::Difference)) {
        fault.bias = scale * *v;
      }
    } else if (auto bias = f->get("bias"); bias && kind) {
      m_r.error(*bias, "bias applies to bias_jump faults only");
    }
    if (auto v = f->quantity("duration", Dimension::Time, Bound::Positive)) fault.duration_s = *v;
    return fault;
  }

  Reader& m_r;
  Scenario& m_sc;
  const StationIndex* m_index = nullptr;
  std::optional<double> m_start;
  std::optional<double> m_duration_s;
  std::optional<YAML::Node> m_durationNode;
  std::unordered_map<std::string, LeakInfo> m_leaks;
  std::vector<std::string> m_leakIds;
  std::vector<PendingPatch> m_pending;
  std::unordered_map<std::string, double> m_drawn_kg;
};

}  // namespace

void readScenario(Reader& r, const YAML::Node& root, const std::string& baseDir,
                  Scenario& scenario) {
  ScenarioReader(r, scenario).read(root, baseDir);
}

}  // namespace leakhunt::model::yaml
