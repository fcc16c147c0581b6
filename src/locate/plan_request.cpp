#include "locate/plan_request.hpp"

#include "locate/configuration.hpp"

namespace leakhunt::locate {

Result<Strategy> strategyNamed(const std::string& s) {
  if (s == "information") return Strategy::Information;
  if (s == "halving") return Strategy::HalvingByVolume;
  if (s == "crew-2018") return Strategy::CrewOrder2018;
  return Error{"strategy: '" + s + "' is not one of information, halving, crew-2018"};
}

Result<PriorSpec> priorNamed(const std::string& s) {
  PriorSpec p;
  if (s == "uniform") return p;
  if (s == "volume") {
    p.kind = PriorKind::Volume;
    return p;
  }
  if (s == "wall-area") {
    p.kind = PriorKind::WallArea;
    return p;
  }
  return Error{"prior: '" + s + "' is not one of uniform, volume, wall-area"};
}

Result<PlanRequest> planRequest(const model::Station& st, const PlanAsk& ask) {
  if (!(ask.leakRate_kg_s > 0.0)) return Error{"leak rate: must be positive"};
  Result<Strategy> strategy = strategyNamed(ask.strategy);
  if (!strategy) return strategy.error();
  Result<PriorSpec> prior = priorNamed(ask.prior);
  if (!prior) return prior.error();
  PlanRequest req;
  req.station = &st;
  req.crew = declaredCrewPlaces(st);
  for (const std::string& c : ask.crewAt) {
    const auto eq = c.find('=');
    if (eq == std::string::npos) return Error{"crew at: '" + c + "' is not CREW=MODULE"};
    const std::string who = c.substr(0, eq), where = c.substr(eq + 1);
    std::size_t k = 0;
    while (k < st.crew.size() && st.crew[k].id != who) ++k;
    if (k == st.crew.size()) return Error{"crew at: no crew member '" + who + "' in " + st.name};
    const int m = st.moduleIndex(where);
    if (m < 0) return Error{"crew at: no module '" + where + "' in " + st.name};
    req.crew[k] = m;
  }
  if (ask.crewAt.empty() && ask.muster) req.crew = musterInLifeboats(st, req.crew, &req.preface);
  if (ask.suspects.empty()) {
    req.candidates = mainSegment(st);
  } else {
    for (const std::string& id : ask.suspects) {
      const int m = st.moduleIndex(id);
      if (m < 0) return Error{"suspects: no module '" + id + "' in " + st.name};
      req.candidates.push_back(m);
    }
  }
  req.rate = {ask.leakRate_kg_s, 0.5 * ask.leakRate_kg_s};
  req.planner.strategy = *strategy;
  req.prior = *prior;
  return req;
}

}  // namespace leakhunt::locate
