// One JSON rendering per result type (issue 16): a leak estimate, a segment's detector state, a
// segment's reading in a localisation step and a repair verdict have one set of keys wherever
// they appear (`detect`, `verify` and `locate infer --json`, the server's /api/status and
// /api/plan, the Python module's records), and the schemas in docs/schema/ check them all.
// Callers add what only they know (an alarm's number).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "detect/detector.hpp"
#include "locate/segment_outcome.hpp"
#include "ops/events.hpp"
#include "ops/inference.hpp"
#include "verify/onset.hpp"
#include "verify/trend.hpp"
#include "verify/verify.hpp"

namespace leakhunt::report {

// A number for a JSON document: JSON has no infinity or NaN, so a figure never reached (a
// reserve, a delay) is null. Every document rendered here and in the story says it so.
nlohmann::ordered_json finiteOrNull(double v);

// How times are written: ISO-8601 UTC text under `key` (the command line's documents), ms since
// 1970 under `key_ms` (the server's wire, as Open MCT's clock), or seconds since 1970 under
// `key_s` (the Python module, whose tables hold numbers).
enum class Times { Iso, UnixMs, UnixSeconds };

// A leak estimate: the segment (its module ids), alarm and onset times, rate, hole size, reserve
// times and the cabin it was sized in. Infinite values (a reserve never reached) are null.
nlohmann::ordered_json leakEstimateJson(const detect::LeakReport& r,
                                        const std::vector<std::string>& segment, Times times);

// A sensor fault the detector found (dropout, stuck, bias jump): its channel, kind, start and end
// (null while it lasts) and, for a bias jump, the jump.
nlohmann::ordered_json sensorFaultJson(const detect::SensorFault& f, const std::string& channel,
                                       Times times);

// P(module holds a leak) per module id, the modules below 1e-12 left out.
nlohmann::ordered_json posteriorJson(const std::vector<ops::ModuleProbability>& posterior);

// What the core concluded from a record after the fact (`locate infer --json`, Python's
// `locate.infer`): the alarm, each window read with the posterior after it, how it ended, and
// the segments a hole emptied (a window there reads nothing: `at_vacuum`). Times as `times`.
nlohmann::ordered_json inferenceJson(const ops::Inference& inference, Times times);

// Why a segment's silence does not mean "no leak" (detect/segment_watch.hpp), in words a
// flight controller can act on; empty when it is watched.
std::string notWatchedReason(const detect::SegmentStatus& s);

// A segment's detector state now: inventory, residual, noise, test statistic and threshold, and
// whether its silence means "no leak" (watched; else why not, in notWatchedReason's words).
nlohmann::ordered_json segmentStatusJson(const detect::SegmentStatus& s,
                                         const std::vector<std::string>& modules);

// What one localisation step read in one segment.
nlohmann::ordered_json segmentReadingJson(const locate::SegmentOutcome& o);

// A repair verdict: the residual rate, its bounds, the verdict against the target and how long
// is still to watch (infinite: null).
nlohmann::ordered_json repairVerdictJson(const verify::VerifyResult& r);

// A segment's verdict since the patch: its modules, the first and last point it was judged on
// (times as `times`), then repairVerdictJson's keys.
nlohmann::ordered_json segmentVerdictJson(const verify::SegmentVerdict& v,
                                          const std::vector<std::string>& modules, Times times);

// A segment's leak-rate trend: its modules, the scatter of its periods, each period's rate with
// its sd and 95 % interval, and each change found (when, how much, its z). Times as ISO text.
nlohmann::ordered_json segmentTrendJson(const verify::SegmentTrend& t,
                                        const std::vector<std::string>& modules);

// When a leak began: its segment and alarm time, the onset and its 95 % interval by the most
// likely profile (step, ramp, growth), each profile's evidence, and the logged events inside
// the interval. Times as ISO text.
nlohmann::ordered_json leakOnsetJson(const verify::OnsetResult& r,
                                     const std::vector<std::string>& segment, double alarmTime_s,
                                     const std::vector<verify::EventInWindow>& events);

}  // namespace leakhunt::report
