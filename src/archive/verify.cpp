#include "archive/verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "archive/archive.hpp"
#include "archive/catalogue.hpp"
#include "archive/schema.hpp"
#include "archive/sqlite.hpp"

namespace leakhunt::archive {

namespace {

void checkChain(Connection& db, VerifyReport& report,
                std::map<std::int64_t, std::string>& ingestDigests, LoggedCatalogue& catalogue) {
  Statement q(db.get(),
              "SELECT seq, time_s, kind, actor, payload, prev_hash, hash FROM audit ORDER BY seq");
  std::string prev = kGenesisHash;
  std::int64_t expectSeq = 1;
  while (q.step()) {
    const AuditEntry e{q.integer(0), q.real(1), q.text(2), q.text(3),
                       q.text(4),    q.text(5), q.text(6)};
    ++report.entries;
    if (e.seq != expectSeq)
      report.problems.push_back(
          {e.seq, fmt::format("entries {} to {} are missing (deleted)", expectSeq, e.seq - 1)});
    if (e.prevHash != prev)
      report.problems.push_back(
          {e.seq, "does not follow the entry before it (deleted, inserted or reordered)"});
    if (entryHash(e.prevHash, e.seq, e.time_s, e.kind, e.actor, e.payload) != e.hash)
      report.problems.push_back({e.seq, "its content does not match its hash (edited)"});
    if (e.kind == "ingest") {
      const auto p = nlohmann::json::parse(e.payload, nullptr, false);
      if (p.is_object() && p.contains("digest") && p["digest"].is_string())
        ingestDigests[e.seq] = p["digest"].get<std::string>();
      else
        report.problems.push_back({e.seq, "ingest entry without a sample digest"});
    }
    catalogue.apply(e, report.problems);
    prev = e.hash;
    expectSeq = e.seq + 1;
  }
  report.headHash = prev;
}

std::map<std::int64_t, std::string> channelNames(Connection& db) {
  std::map<std::int64_t, std::string> names;
  Statement q(db.get(), "SELECT id, name FROM channels");
  while (q.step()) names[q.integer(0)] = q.text(1);
  return names;
}

// Recomputes each batch's digest from the samples archived under it, named as the catalogue
// names their channels.
void checkSamples(Connection& db, VerifyReport& report,
                  const std::map<std::int64_t, std::string>& ingestDigests) {
  const std::map<std::int64_t, std::string> names = channelNames(db);
  const std::string unnamed;  // a channel the catalogue lacks: its samples match no digest
  std::map<std::int64_t, std::int64_t> orphans;  // channel id -> first batch using it
  Statement q(db.get(), "SELECT batch, channel, time_s, value FROM samples ORDER BY batch");
  std::map<std::int64_t, std::string> found;
  std::vector<NamedSample> batch;
  std::int64_t current = -1;
  auto close = [&] {
    if (current >= 0) found[current] = batchDigest(batch);
    batch.clear();
  };
  while (q.step()) {
    const std::int64_t b = q.integer(0);
    if (b != current) {
      close();
      current = b;
    }
    const std::int64_t channel = q.integer(1);
    const auto name = names.find(channel);
    if (name == names.end()) orphans.emplace(channel, b);
    batch.push_back({name == names.end() ? &unnamed : &name->second, q.real(2), q.real(3)});
    ++report.samples;
  }
  close();
  for (const auto& [channel, b] : orphans)
    report.problems.push_back(
        {b, fmt::format("samples of channel {}, which the catalogue lacks (deleted)", channel)});
  for (const auto& [seq, digest] : found) {
    const auto it = ingestDigests.find(seq);
    if (it == ingestDigests.end())
      report.problems.push_back({seq, "samples archived under a batch the audit log lacks"});
    else if (it->second != digest)
      report.problems.push_back({seq, "the batch's samples were edited, added or deleted"});
  }
  std::vector<NamedSample> none;
  const std::string emptyDigest = batchDigest(none);
  for (const auto& [seq, digest] : ingestDigests)
    if (!found.count(seq) && digest != emptyDigest)
      report.problems.push_back({seq, "the batch's samples were deleted"});
}

void collectGaps(Connection& db, VerifyReport& report, const GapOptions& options) {
  Statement end(db.get(), "SELECT max(time_s) FROM samples");
  if (!end.step() || end.isNull(0)) return;
  const double archiveEnd = end.real(0);
  Statement q(db.get(),
              "SELECT c.name, s.time_s FROM samples s JOIN channels c ON c.id = s.channel "
              "ORDER BY s.channel, s.time_s");
  std::string channel;
  std::vector<double> times;
  auto flush = [&] {
    bool ignored = false;
    for (const std::string& p : options.ignorePrefixes)
      ignored = ignored || channel.rfind(p, 0) == 0;
    if (!times.empty() && !ignored) {
      auto g = findGaps(channel, times, archiveEnd, options);
      report.gaps.insert(report.gaps.end(), g.begin(), g.end());
    }
    times.clear();
  };
  while (q.step()) {
    std::string name = q.text(0);
    if (name != channel) {
      flush();
      channel = std::move(name);
    }
    times.push_back(q.real(1));
  }
  flush();
}

}  // namespace

std::vector<TelemetryGap> findGaps(const std::string& channel, const std::vector<double>& times,
                                   double archiveEnd_s, const GapOptions& options) {
  std::vector<TelemetryGap> gaps;
  if (times.size() < 2) return gaps;
  std::vector<double> spacing(times.size() - 1);
  for (std::size_t i = 1; i < times.size(); ++i) spacing[i - 1] = times[i] - times[i - 1];
  std::vector<double> sorted = spacing;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2),
                   sorted.end());
  const double median = sorted[sorted.size() / 2];
  const double limit = std::max(options.factor * median, options.minimum_s);
  for (std::size_t i = 0; i < spacing.size(); ++i)
    if (spacing[i] > limit) gaps.push_back({channel, times[i], times[i + 1], false});
  if (archiveEnd_s - times.back() > limit)
    gaps.push_back({channel, times.back(), archiveEnd_s, true});
  return gaps;
}

Result<VerifyReport> verifyArchive(const std::string& path, const GapOptions& gaps) {
  Result<Connection> db = Connection::open(path, true);
  if (!db) return db.error();
  VerifyReport report;
  try {
    if (Result<bool> format = checkFormat(db.value(), path); !format) return format.error();
    std::map<std::int64_t, std::string> digests;
    LoggedCatalogue catalogue;
    checkChain(db.value(), report, digests, catalogue);
    catalogue.compare(db.value(), report.problems);
    checkSamples(db.value(), report, digests);
    collectGaps(db.value(), report, gaps);
  } catch (const std::exception& e) {
    return Error{path + ": not a leakhunt archive or unreadable: " + e.what()};
  }
  return report;
}

}  // namespace leakhunt::archive
