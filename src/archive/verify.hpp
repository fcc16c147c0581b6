// `leakhunt audit verify`: walks the audit log checking each entry's hash against the previous
// one, the channel catalogue and the tokens table against the entries that created them, each
// ingest entry's digest against the samples archived under it, and reports the gaps in every
// channel's telemetry (a sensor that "stopped working" shows up with start and end).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace leakhunt::archive {

struct AuditProblem {
  std::int64_t seq = 0;  // the entry (or batch) where the chain breaks; 0 for the archive
  std::string what;
};

struct TelemetryGap {
  std::string channel;
  double start_s = 0.0;  // last sample before the gap [Unix s]
  double end_s = 0.0;    // first sample after it, or the archive's last time when `open`
  bool open = false;     // the channel never came back
};

struct GapOptions {
  // A gap is a spacing longer than `factor` times the channel's median spacing and at least
  // `minimum_s`.
  double factor = 5.0;
  double minimum_s = 5.0;
  // Channels not sampled on a cadence: the server's derived values ("leakhunt.leak_rate" ...)
  // come only when the detector has something to say, so their silences are not outages.
  std::vector<std::string> ignorePrefixes{"leakhunt."};
};

struct VerifyReport {
  std::int64_t entries = 0;
  std::int64_t samples = 0;
  std::string headHash;  // the last entry's hash: keep it elsewhere to detect truncation
  std::vector<AuditProblem> problems;
  std::vector<TelemetryGap> gaps;
  bool intact() const { return problems.empty(); }
};

Result<VerifyReport> verifyArchive(const std::string& path, const GapOptions& gaps = {});

// Gaps in one channel's ascending times, the archive ending at `archiveEnd_s`.
std::vector<TelemetryGap> findGaps(const std::string& channel, const std::vector<double>& times,
                                   double archiveEnd_s, const GapOptions& options);

}  // namespace leakhunt::archive
