#include "archive/archive.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "archive/catalogue.hpp"
#include "archive/schema.hpp"
#include "archive/sha256.hpp"

namespace leakhunt::archive {

namespace {

void putLittleEndian(unsigned char* out, std::uint64_t bits) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(bits >> (8 * i));
}

// A field of a hash input: its length (8 bytes, little-endian), then its bytes.
void putField(Sha256& h, std::string_view field) {
  unsigned char length[8];
  putLittleEndian(length, field.size());
  h.update(length, sizeof length);
  h.update(field);
}

// Tells an entry hash of this format from any other input of the same fields.
constexpr const char* kEntryHashTag = "leakhunt-audit-2";

// Rolls back unless committed, so a throw in the middle keeps nothing.
class Transaction {
 public:
  explicit Transaction(Connection& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!m_done) sqlite3_exec(m_db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    m_db.exec("COMMIT");
    m_done = true;
  }

 private:
  Connection& m_db;
  bool m_done = false;
};

}  // namespace

const char* toString(RecordKind kind) {
  switch (kind) {
    case RecordKind::Ingest:
      return "ingest";
    case RecordKind::Action:
      return "action";
    case RecordKind::Event:
      return "event";
    case RecordKind::Token:
      return "token";
    case RecordKind::Channel:
      return "channel";
  }
  return "?";
}

std::optional<RecordKind> recordKindFrom(std::string_view text) {
  for (RecordKind k : {RecordKind::Ingest, RecordKind::Action, RecordKind::Event, RecordKind::Token,
                       RecordKind::Channel})
    if (text == toString(k)) return k;
  return std::nullopt;
}

std::string entryHash(const std::string& prevHash, std::int64_t seq, double time_s,
                      std::string_view kind, std::string_view actor, std::string_view payload) {
  Sha256 h;
  for (std::string_view field : {std::string_view(kEntryHashTag), std::string_view(prevHash)})
    putField(h, field);
  putField(h, fmt::format("{}", seq));
  putField(h, fmt::format("{:.17g}", time_s));
  for (std::string_view field : {kind, actor, payload}) putField(h, field);
  return toHex(h.finish());
}

std::string batchDigest(std::vector<NamedSample>& samples) {
  std::sort(samples.begin(), samples.end(), [](const NamedSample& a, const NamedSample& b) {
    if (a.channel != b.channel && *a.channel != *b.channel) return *a.channel < *b.channel;
    return a.time_s < b.time_s;
  });
  Sha256 h;
  unsigned char buf[16];
  for (const NamedSample& s : samples) {
    std::uint64_t t = 0, v = 0;
    std::memcpy(&t, &s.time_s, 8);
    std::memcpy(&v, &s.value, 8);
    putField(h, *s.channel);
    putLittleEndian(buf, t);
    putLittleEndian(buf + 8, v);
    h.update(buf, sizeof buf);
  }
  return toHex(h.finish());
}

Result<std::unique_ptr<ArchiveWriter>> ArchiveWriter::open(const std::string& path) {
  Result<Connection> db = Connection::open(path, false);
  if (!db) return db.error();
  std::unique_ptr<ArchiveWriter> w(new ArchiveWriter());
  w->m_path = path;
  w->m_db = std::move(db).value();
  try {
    w->m_db.exec("PRAGMA journal_mode=WAL");
    w->m_db.exec("PRAGMA synchronous=FULL");
    if (Result<bool> format = prepareSchema(w->m_db, path); !format) return format.error();
    std::vector<AuditProblem> problems;
    LoggedCatalogue::fromLog(w->m_db, problems).compare(w->m_db, problems);
    if (!problems.empty()) {
      const AuditProblem& first = problems.front();
      return Error{fmt::format(
          "{}: the channel catalogue or the tokens disagree with the audit log ({}{}); the file "
          "was edited outside leakhunt. Run `leakhunt audit verify {}` and serve from a trusted "
          "copy",
          path, first.seq > 0 ? fmt::format("entry {}: ", first.seq) : "", first.what, path)};
    }
    sqlite3* h = w->m_db.get();
    w->m_insertSample =
        Statement(h, "INSERT INTO samples(channel, time_s, value, batch) VALUES(?,?,?,?)");
    w->m_insertAudit =
        Statement(h,
                  "INSERT INTO audit(seq, time_s, kind, actor, payload, prev_hash, hash) "
                  "VALUES(?,?,?,?,?,?,?)");
    w->m_insertChannel = Statement(h, "INSERT INTO channels(name) VALUES(?)");
    Statement channels(h, "SELECT id, name FROM channels");
    while (channels.step()) w->m_channelIds[channels.text(1)] = channels.integer(0);
    Statement last(h, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (last.step()) {
      w->m_lastSeq = last.integer(0);
      w->m_lastHash = last.text(1);
    }
  } catch (const std::exception& e) {
    return Error{path + ": " + e.what()};
  }
  return w;
}

std::int64_t ArchiveWriter::channelId(const std::string& name, const Record& firstUse, Head& head) {
  const auto it = m_channelIds.find(name);
  if (it != m_channelIds.end()) return it->second;
  m_insertChannel.bind(1, name).step();
  m_insertChannel.reset();
  const std::int64_t id = sqlite3_last_insert_rowid(m_db.get());
  m_channelIds.emplace(name, id);
  // The catalogue row is what maps a sample to a channel: the chain records it, so a rename
  // in the table alone is found.
  chain(head, RecordKind::Channel, firstUse.time_s, firstUse.actor, channelPayload(id, name));
  return id;
}

void ArchiveWriter::chain(Head& head, RecordKind kind, double time_s, const std::string& actor,
                          const std::string& payload) {
  ++head.seq;
  const std::string_view kindText = toString(kind);
  std::string next = entryHash(head.hash, head.seq, time_s, kindText, actor, payload);
  m_insertAudit.bind(1, head.seq)
      .bind(2, time_s)
      .bind(3, kindText)
      .bind(4, actor)
      .bind(5, payload)
      .bind(6, head.hash)
      .bind(7, next)
      .step();
  m_insertAudit.reset();
  head.hash = std::move(next);
}

std::vector<std::int64_t> ArchiveWriter::append(std::span<Record> records,
                                                const telemetry::ChannelTable& channels) {
  return commit(records, channels, {});
}

std::vector<std::int64_t> ArchiveWriter::commit(std::span<Record> records,
                                                const telemetry::ChannelTable& channels,
                                                const std::function<void()>& alsoInTransaction) {
  std::vector<std::int64_t> seqs;
  seqs.reserve(records.size());
  Head head{m_lastSeq, m_lastHash};
  std::vector<std::int64_t> ids(channels.size(), -1);
  std::unordered_map<std::string, std::int64_t> idsBefore = m_channelIds;
  Transaction tx(m_db);
  try {
    if (alsoInTransaction) alsoInTransaction();
    std::vector<NamedSample> batch;
    for (Record& r : records) {
      if (r.kind == RecordKind::Ingest) {
        // Channels new to the archive are logged before the batch that brings them.
        for (const telemetry::Sample& s : r.samples) {
          auto& id = ids[static_cast<std::size_t>(s.channel)];
          if (id < 0) id = channelId(channels.name(s.channel), r, head);
        }
        const std::int64_t batchSeq = head.seq + 1;
        batch.clear();
        double first = std::numeric_limits<double>::infinity(), last = -first;
        for (const telemetry::Sample& s : r.samples) {
          m_insertSample.bind(1, ids[static_cast<std::size_t>(s.channel)])
              .bind(2, s.time_s)
              .bind(3, s.value)
              .bind(4, batchSeq)
              .step();
          m_insertSample.reset();
          batch.push_back({&channels.name(s.channel), s.time_s, s.value});
          first = std::min(first, s.time_s);
          last = std::max(last, s.time_s);
        }
        nlohmann::ordered_json p{{"samples", r.samples.size()},
                                 {"first", r.samples.empty() ? 0.0 : first},
                                 {"last", r.samples.empty() ? 0.0 : last},
                                 {"digest", batchDigest(batch)}};
        r.payload = p.dump();
      }
      chain(head, r.kind, r.time_s, r.actor, r.payload);
      seqs.push_back(head.seq);
    }
    tx.commit();
  } catch (...) {
    m_insertSample.reset();
    m_insertAudit.reset();
    m_insertChannel.reset();
    m_channelIds = std::move(idsBefore);  // channels made in the rolled-back transaction
    throw;
  }
  m_lastSeq = head.seq;
  m_lastHash = std::move(head.hash);
  return seqs;
}

std::unordered_map<std::string, double> ArchiveWriter::lastTimes() {
  std::unordered_map<std::string, double> out;
  Statement q(m_db.get(),
              "SELECT c.name, (SELECT max(time_s) FROM samples s WHERE s.channel = c.id) "
              "FROM channels c");
  while (q.step())
    if (!q.isNull(1)) out[q.text(0)] = q.real(1);
  return out;
}

std::vector<StoredToken> ArchiveWriter::tokens() {
  std::vector<StoredToken> out;
  Statement q(m_db.get(), "SELECT hash, name, role FROM tokens ORDER BY name");
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2)});
  return out;
}

void ArchiveWriter::addToken(const StoredToken& token, const std::string& actor, double time_s) {
  // The row and its entry in one transaction: a crash between them would leave a token the
  // log does not account for, which `audit verify` rightly calls inserted.
  Record r{RecordKind::Token, time_s, actor, tokenPayload(token), {}};
  telemetry::ChannelTable none;
  commit(std::span<Record>(&r, 1), none, [&] {
    Statement q(m_db.get(), "INSERT OR REPLACE INTO tokens(hash, name, role) VALUES(?,?,?)");
    q.bind(1, token.hash).bind(2, token.name).bind(3, token.role).step();
  });
}

Result<std::unique_ptr<ArchiveReader>> ArchiveReader::open(const std::string& path) {
  Result<Connection> db = Connection::open(path, true);
  if (!db) return db.error();
  std::unique_ptr<ArchiveReader> r(new ArchiveReader());
  r->m_db = std::move(db).value();
  try {
    if (Result<bool> format = checkFormat(r->m_db, path); !format) return format.error();
    sqlite3* h = r->m_db.get();
    r->m_history = Statement(h,
                             "SELECT time_s, value FROM samples WHERE channel = ? AND time_s >= ? "
                             "AND time_s <= ? ORDER BY time_s");
    r->m_latest = Statement(h,
                            "SELECT time_s, value FROM samples WHERE channel = ? AND time_s <= ? "
                            "ORDER BY time_s DESC LIMIT 1");
    r->m_channel = Statement(h, "SELECT id FROM channels WHERE name = ?");
    r->m_entries = Statement(h,
                             "SELECT seq, time_s, kind, actor, payload, prev_hash, hash FROM audit "
                             "WHERE kind = ? AND time_s >= ? AND time_s <= ? ORDER BY seq LIMIT ?");
  } catch (const std::exception& e) {
    return Error{path + ": " + e.what()};
  }
  return r;
}

std::optional<std::int64_t> ArchiveReader::channelId(const std::string& name) {
  const auto it = m_channelIds.find(name);
  if (it != m_channelIds.end()) return it->second;
  m_channel.bind(1, name);
  std::optional<std::int64_t> id;
  if (m_channel.step()) id = m_channel.integer(0);
  m_channel.reset();
  if (id) m_channelIds.emplace(name, *id);  // unknown names may appear later: not cached
  return id;
}

std::vector<Point> ArchiveReader::history(const std::string& channel, double start_s,
                                          double end_s) {
  std::vector<Point> out;
  const auto id = channelId(channel);
  if (!id) return out;
  m_history.bind(1, *id).bind(2, start_s).bind(3, end_s);
  while (m_history.step()) out.push_back({m_history.real(0), m_history.real(1)});
  m_history.reset();
  return out;
}

std::optional<Point> ArchiveReader::latest(const std::string& channel, double end_s) {
  const auto id = channelId(channel);
  if (!id) return std::nullopt;
  m_latest.bind(1, *id).bind(2, end_s);
  std::optional<Point> p;
  if (m_latest.step()) p = Point{m_latest.real(0), m_latest.real(1)};
  m_latest.reset();
  return p;
}

std::vector<AuditEntry> ArchiveReader::entries(RecordKind kind, double start_s, double end_s,
                                               std::size_t limit) {
  std::vector<AuditEntry> out;
  m_entries.bind(1, std::string_view(toString(kind)))
      .bind(2, start_s)
      .bind(3, end_s)
      .bind(4, static_cast<std::int64_t>(limit));
  while (m_entries.step())
    out.push_back({m_entries.integer(0), m_entries.real(1), m_entries.text(2), m_entries.text(3),
                   m_entries.text(4), m_entries.text(5), m_entries.text(6)});
  m_entries.reset();
  return out;
}

}  // namespace leakhunt::archive

namespace leakhunt::archive {

void ArchiveReader::replay(
    double start_s,
    const std::function<void(const std::string& channel, double time_s, double value)>& onSample) {
  Statement q(m_db.get(),
              "SELECT c.name, s.time_s, s.value FROM samples s JOIN channels c ON c.id = s.channel "
              "WHERE s.time_s >= ? ORDER BY s.time_s, s.channel");
  q.bind(1, start_s);
  while (q.step()) onSample(q.text(0), q.real(1), q.real(2));
}

}  // namespace leakhunt::archive
