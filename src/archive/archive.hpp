// The archive: one SQLite file in WAL mode holding telemetry samples, an append-only audit log
// (ingest batches, operator actions, events, channels, token changes) whose entries are
// chained by SHA-256, and the hashed API tokens. The chain covers everything a reader trusts:
// each channel's name is logged when the channel is created, each token (hash, name, role)
// when it is issued, and batch digests name channels, not ids. A write returns only once it is
// durable (synchronous=FULL: the WAL is fsynced at each commit), so a sender acknowledged is a
// sender whose data survives a crash or power cut. docs/server.md has the schema and the rules.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "archive/sqlite.hpp"
#include "base/result.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::archive {

enum class RecordKind { Ingest, Action, Event, Token, Channel };
const char* toString(RecordKind kind);
std::optional<RecordKind> recordKindFrom(std::string_view text);

// One audit-log entry to append.
struct Record {
  RecordKind kind = RecordKind::Ingest;
  double time_s = 0.0;  // when it was received [Unix s]
  std::string actor;    // who: a token's name, "simulator", "detector"
  std::string payload;  // JSON text; for Ingest the archive writes it (count, span, digest)
  std::vector<telemetry::Sample> samples;  // Ingest only; channels index the table given
};

struct AuditEntry {
  std::int64_t seq = 0;
  double time_s = 0.0;
  std::string kind, actor, payload, prevHash, hash;
};

struct StoredToken {
  std::string hash;  // SHA-256 of the token, hex
  std::string name;
  std::string role;
};

// The hash of an entry: SHA-256 over a format tag, the previous hash and the entry's fields,
// each preceded by its length, so no two different entries give the same input
// (docs/server.md).
std::string entryHash(const std::string& prevHash, std::int64_t seq, double time_s,
                      std::string_view kind, std::string_view actor, std::string_view payload);
// SHA-256 over a batch's samples as (length-prefixed channel name, time, value), ordered by
// name then time: what an ingest entry's "digest" commits to. Names, not the archive's row
// ids, so renaming channels in the catalogue changes every digest of their samples.
struct NamedSample {
  const std::string* channel;  // owned by the caller's channel table
  double time_s;
  double value;
};
std::string batchDigest(std::vector<NamedSample>& samples);  // sorts `samples`

// The hash every chain starts from.
inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

class ArchiveWriter {
 public:
  // Creates the file and schema if needed; WAL mode, synchronous=FULL. Refuses an archive of
  // another format, or whose channels or tokens tables disagree with its audit log.
  static Result<std::unique_ptr<ArchiveWriter>> open(const std::string& path);

  // All records in one transaction, durable when this returns; the audit sequence number of
  // each record, in order (a channel new to the archive gets its own entry just before the
  // batch that brings it). Throws std::runtime_error when the disk refuses (nothing is kept).
  std::vector<std::int64_t> append(std::span<Record> records,
                                   const telemetry::ChannelTable& channels);

  // The last archived time of each channel, by name: where ingest order resumes after restart.
  std::unordered_map<std::string, double> lastTimes();

  std::vector<StoredToken> tokens();
  // Stores a token's hash (never the token) and logs it, with its name and role, in the audit
  // log, in one transaction. A name issued again replaces its token.
  void addToken(const StoredToken& token, const std::string& actor, double time_s);

  const std::string& path() const { return m_path; }

 private:
  ArchiveWriter() = default;
  struct Head {
    std::int64_t seq;
    std::string hash;
  };
  std::vector<std::int64_t> commit(std::span<Record> records,
                                   const telemetry::ChannelTable& channels,
                                   const std::function<void()>& alsoInTransaction);
  void chain(Head& head, RecordKind kind, double time_s, const std::string& actor,
             const std::string& payload);
  std::int64_t channelId(const std::string& name, const Record& firstUse, Head& head);

  std::string m_path;
  Connection m_db;
  Statement m_insertSample, m_insertAudit, m_insertChannel;
  std::unordered_map<std::string, std::int64_t> m_channelIds;
  std::int64_t m_lastSeq = 0;
  std::string m_lastHash = kGenesisHash;
};

struct Point {
  double time_s = 0.0;
  double value = 0.0;
};

// A read-only connection (WAL lets readers run beside the writer). One per thread.
class ArchiveReader {
 public:
  static Result<std::unique_ptr<ArchiveReader>> open(const std::string& path);

  // Samples of `channel` with start_s <= time <= end_s, ascending; empty for unknown channels.
  std::vector<Point> history(const std::string& channel, double start_s, double end_s);
  // The last sample at or before end_s.
  std::optional<Point> latest(const std::string& channel, double end_s);
  // Audit entries of one kind in [start_s, end_s], ascending, at most `limit`.
  std::vector<AuditEntry> entries(RecordKind kind, double start_s, double end_s, std::size_t limit);
  // Every sample at or after start_s, in time order (a full scan: for replays, not for views).
  void replay(
      double start_s,
      const std::function<void(const std::string& channel, double time_s, double value)>& onSample);

 private:
  ArchiveReader() = default;
  std::optional<std::int64_t> channelId(const std::string& name);

  Connection m_db;
  Statement m_history, m_latest, m_channel, m_entries;
  std::unordered_map<std::string, std::int64_t> m_channelIds;
};

}  // namespace leakhunt::archive
