// Fuzz the campaign spec reader and the planner (stations by path relative to data/campaigns):
// an Error or a plan of bounded size, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "campaign/campaign.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto spec = leakhunt::campaign::parseCampaignSpec(text, "fuzz.yaml",
                                                          LEAKHUNT_SOURCE_DIR "/data/campaigns");
  if (!spec) return 0;
  // The spec's own run counts can be large; plan a few of each to exercise the planner.
  const auto plan = leakhunt::campaign::planCampaign(*spec, 2, 2);
  if (plan.size() != 2 * spec->sizes.size() + 2) __builtin_trap();
  return 0;
}
