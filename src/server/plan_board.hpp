// The isolation plan and leak posterior the dashboard shows. The localisation layer (another
// library, or an outside program over POST /api/plan) hands the server whatever plan it has;
// the server only keeps and serves the latest one, and says honestly when there is none.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace leakhunt::server {

class PlanSource {
 public:
  virtual ~PlanSource() = default;
  // {"available": false, "message": "no plan yet"} or {"available": true, "plan": ...,
  //  "posterior": {module: probability} (optional), "by": who, "updated_ms": ms since 1970}
  virtual nlohmann::json current() const = 0;
};

class PlanBoard : public PlanSource {
 public:
  // `document` is the localiser's plan: any JSON object; "posterior", when present, must map
  // module ids to probabilities (checked by the caller).
  void publish(nlohmann::json document, const std::string& by, double updated_ms);
  nlohmann::json current() const override;

 private:
  mutable std::mutex m_mutex;
  std::optional<nlohmann::json> m_current;
};

}  // namespace leakhunt::server
