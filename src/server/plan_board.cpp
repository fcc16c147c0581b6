#include "server/plan_board.hpp"

namespace leakhunt::server {

void PlanBoard::publish(nlohmann::json document, const std::string& by, double updated_ms) {
  nlohmann::json j{{"available", true}, {"by", by}, {"updated_ms", updated_ms}};
  if (document.contains("posterior")) j["posterior"] = document["posterior"];
  j["plan"] = std::move(document);
  std::lock_guard lock(m_mutex);
  m_current = std::move(j);
}

nlohmann::json PlanBoard::current() const {
  std::lock_guard lock(m_mutex);
  if (m_current) return *m_current;
  return {{"available", false},
          {"message", "no plan yet: no localiser has published an isolation plan"}};
}

}  // namespace leakhunt::server
