// Localisation campaigns (`leakhunt campaign SPEC` with `kind: localisation`): drills over
// random leak modules and sizes, each run by every strategy on the same hidden leak, scored
// on correctness, time from alarm to module, hatch operations and crew safety. No I/O: the
// functions take the spec's text and return the report as text or JSON.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/truth_wall.hpp"
#include "harness/drill.hpp"

namespace leakhunt::harness {

struct LeakSpec {
  std::string label;    // "2 mm", "1.4 kg/day", "two 2 mm"
  double cda_m2 = 0.0;  // each leak's effective area
  int runs = 0;
  int leaks = 1;  // 2: two simultaneous leaks in different modules
};

struct LocalisationSpec {
  std::string name;
  std::string stationPath;
  model::Station station;
  double start_s = 0.0;  // Unix time of every run's start
  uint64_t seed = 1;
  double spinUp_s = 86400.0;
  double reference_s = 2.0 * 3600.0;  // data before the onset
  double cd = 0.65;
  std::vector<std::string> modules;  // drawn from; empty: the station's main segment
  std::vector<locate::Strategy> strategies;
  std::vector<LeakSpec> sizes;
};

// True when the text is a localisation spec (top-level `kind: localisation`).
bool isLocalisationSpec(const std::string& yamlText);

Result<LocalisationSpec> parseLocalisationSpec(const std::string& yamlText,
                                               const std::string& fileName,
                                               const std::string& baseDir);

struct LocalisationRun {
  std::string size;
  std::vector<std::string> truth;
  uint64_t seed = 0;
  std::vector<DrillResult> byStrategy;  // in spec order
  std::vector<std::string> errors;
};

struct CampaignOptions {
  int runsPerSize = -1;  // override
  int threads = 1;
  bool json = false;
  std::function<void(int done, int total)> progress;
};

std::vector<LocalisationRun> runLocalisationCampaign(const LocalisationSpec& spec,
                                                     const CampaignOptions& options);

// The report: a table per size and strategy (text) or one JSON document.
std::string localisationReport(const LocalisationSpec& spec,
                               const std::vector<LocalisationRun>& runs, bool json, double wall_s);

// Parse, run and report in one call: what `leakhunt campaign` dispatches to.
Result<std::string> localisationCampaign(const std::string& yamlText, const std::string& fileName,
                                         const std::string& baseDir,
                                         const CampaignOptions& options);

}  // namespace leakhunt::harness
