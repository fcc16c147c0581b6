// libFuzzer target: the operator-action parser (POST /api/actions). Any bytes must give an
// Action or an Error, never a crash or a hang; and an Action it gives must lie within the
// physical ranges of docs/server.md, so a value that slips through a range (a repress of
// 1e300 s once silenced the detector) is a finding too, not only a crash.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "detect/logged_events.hpp"
#include "server/request_parsing.hpp"

namespace {

using namespace leakhunt::server;

// abort() rather than assert: the check must hold in every build of the fuzzer.
void require(bool inRange) {
  if (!inRange) std::abort();
}

void checkRanges(const Action& a) {
  if (a.time_s) require(*a.time_s >= kEarliestTime_s && *a.time_s <= kLatestTime_s);
  require(a.note.size() <= kMaxNoteChars);
  for (const std::string* id : {&a.hatch, &a.leak, &a.module, &a.crew})
    require(id->size() <= kMaxIdChars);
  if (a.kind == ActionKind::Repress) {
    require(a.mass_kg >= kMinRepressMass_kg && a.mass_kg <= kMaxRepressMass_kg);
    require(a.duration_s >= 0.0 && a.duration_s <= leakhunt::detect::kMaxRepressDuration_s);
  }
  if (a.kind == ActionKind::AckAlarm) require(a.alarm >= 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const leakhunt::Result<Action> a = parseAction(body);
  if (a) checkRanges(*a);
  return 0;
}
