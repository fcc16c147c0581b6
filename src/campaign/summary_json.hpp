// The campaign summary as one JSON document (issue 16): `leakhunt campaign --json` prints it, and
// the Python module's `campaign()` returns it, so both say the same things under the same keys.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "campaign/campaign.hpp"

namespace leakhunt::campaign {

// How the campaign ran, beside what it found.
struct RunInfo {
  int ranks = 1, threads = 1, resumed = 0;
  double wall_s = 0.0;
  std::string journal;  // empty: none
};

// The runs' summary: the detector, how it ran, the false alarms, each leak size's delays and
// estimates (and, where the spec scores them, each block after the alarm), and every alarm of
// every run. Infinite figures (a delay never reached) are null.
nlohmann::ordered_json summaryJson(const CampaignSpec& spec, const std::vector<RunRecord>& runs,
                                   const CampaignStats& stats, const RunInfo& run);

}  // namespace leakhunt::campaign
