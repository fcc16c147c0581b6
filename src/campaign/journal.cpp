#include "campaign/journal.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

namespace leakhunt::campaign {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kFormat = "leakhunt-campaign-journal";
constexpr int kVersion = 1;

// JSON has no infinity (a missed leak's delay is harness::kNever): non-finite numbers go as
// strings.
Json num(double v) {
  if (std::isfinite(v)) return v;
  if (std::isnan(v)) return "nan";
  return v > 0 ? "inf" : "-inf";
}
double num(const Json& j) {
  if (j.is_number()) return j.get<double>();
  const std::string s = j.get<std::string>();
  if (s == "inf") return harness::kNever;
  if (s == "-inf") return -harness::kNever;
  if (s == "nan") return std::nan("");
  throw std::runtime_error("bad number '" + s + "'");
}

void fnv(uint64_t& h, const std::string& s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  h ^= 0xff;  // separator, so "ab"+"c" differs from "a"+"bc"
  h *= 0x100000001b3ull;
}

std::string exact(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

}  // namespace

std::string journalPartPath(const std::string& path, int rank) {
  return rank == 0 ? path : path + ".rank-" + std::to_string(rank);
}

std::string planFingerprint(const CampaignSpec& spec, const std::vector<PlannedRun>& plan) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (double v : {spec.falseAlarmsPerYear, spec.cd, spec.spinUp_s}) fnv(h, exact(v));
  // Only when scored, so the journals of every spec without it keep their fingerprints.
  if (spec.scoreAfterAlarm_s > 0.0) fnv(h, "score_after_alarm " + exact(spec.scoreAfterAlarm_s));
  if (spec.limitHorizon_s > 0.0) fnv(h, "limit_horizon " + exact(spec.limitHorizon_s));
  for (const PlannedRun& p : plan) {
    fnv(h, std::to_string(p.size));
    fnv(h, p.scenarioText);
    fnv(h, p.truth.leakId + "|" + p.truth.leakModule + "|" + exact(p.truth.onset_s) + "|" +
               exact(p.truth.checkAfter_s));
  }
  char b[20];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
  return b;
}

std::string recordLine(std::size_t index, const RunRecord& r) {
  const harness::RunOutcome& o = r.outcome;
  Json alarms = Json::array();
  for (const harness::AlarmRecord& a : o.alarms)
    alarms.push_back({{"time_s", num(a.time_s)},
                      {"onset_s", num(a.onset_s)},
                      {"rate_kg_s", num(a.rate_kg_s)},
                      {"modules", a.modules},
                      {"holds_leak", a.containsLeak},
                      {"statistic", num(a.statistic)},
                      {"threshold", num(a.threshold)}});
  Json faults = Json::array();
  for (const detect::SensorFault& f : o.faults)
    faults.push_back({{"channel", f.channel},
                      {"kind", static_cast<int>(f.kind)},
                      {"start_s", num(f.start_s)},
                      {"end_s", num(f.end_s)},
                      {"ongoing", f.ongoing},
                      {"magnitude", num(f.magnitude)}});
  Json j = {{"run", index},
            {"ok", r.ok},
            {"error", r.error},
            {"alarms", std::move(alarms)},
            {"faults", std::move(faults)},
            {"detected", o.detected},
            {"delay_s", num(o.delay_s)},
            {"alarms_before_onset", o.alarmsBeforeOnset},
            {"alarms_wrong_segment", o.alarmsWrongSegment},
            {"estimated", o.estimated},
            {"estimate_time_s", num(o.estimateTime_s)},
            {"rate_kg_s", num(o.rate_kg_s)},
            {"rate_sigma_kg_s", num(o.rateSigma_kg_s)},
            {"onset_estimate_s", num(o.onsetEstimate_s)},
            {"onset_low_s", num(o.onsetLow_s)},
            {"onset_high_s", num(o.onsetHigh_s)},
            {"truth_rate_kg_s", num(o.truthRate_kg_s)},
            {"truth_rate_at_onset_kg_s", num(o.truthRateAtOnset_kg_s)},
            {"white_sigma_kg", num(o.whiteSigma_kg)},
            {"block_period_s", num(o.blockPeriod_s)},
            {"segment_seconds", num(o.segmentSeconds)},
            {"wall_s", num(o.wall_s)}};
  j["excursions"] = o.excursions;
  // Issue 20's scoring, only in runs that have it (older journals read as before).
  if (std::isfinite(o.limitTime_s)) j["limit_time_s"] = num(o.limitTime_s);
  if (!o.afterAlarm.empty()) {
    Json blocks = Json::array();
    for (const harness::BlockScore& b : o.afterAlarm)
      blocks.push_back({num(b.after_s), b.covered ? 1 : 0, b.reserveAbove, num(b.reserveLow_s),
                        num(b.reserve_s), num(b.trueReserve_s)});
    j["after_alarm"] = std::move(blocks);
  }
  return j.dump();
}

Result<std::pair<std::size_t, RunRecord>> parseRecordLine(const std::string& line,
                                                          const std::vector<PlannedRun>& plan) {
  try {
    const Json j = Json::parse(line);
    const auto index = j.at("run").get<std::size_t>();
    if (index >= plan.size())
      return Error{"run " + std::to_string(index) + " is not in the plan (" +
                   std::to_string(plan.size()) + " runs)"};
    RunRecord r;
    r.plan = plan[index];
    r.ok = j.at("ok").get<bool>();
    r.error = j.at("error").get<std::string>();
    harness::RunOutcome& o = r.outcome;
    for (const Json& a : j.at("alarms")) {
      o.alarms.push_back({num(a.at("time_s")), num(a.at("onset_s")), num(a.at("rate_kg_s")),
                          a.at("modules").get<std::vector<int>>(), a.at("holds_leak").get<bool>()});
      if (a.contains("statistic")) {  // journals before them hold neither
        o.alarms.back().statistic = num(a.at("statistic"));
        o.alarms.back().threshold = num(a.at("threshold"));
      }
    }
    for (const Json& f : j.at("faults")) {
      detect::SensorFault s;
      s.channel = f.at("channel").get<int>();
      s.kind = static_cast<detect::SensorFaultKind>(f.at("kind").get<int>());
      s.start_s = num(f.at("start_s"));
      s.end_s = num(f.at("end_s"));
      s.ongoing = f.at("ongoing").get<bool>();
      s.magnitude = num(f.at("magnitude"));
      o.faults.push_back(s);
    }
    o.detected = j.at("detected").get<bool>();
    o.delay_s = num(j.at("delay_s"));
    o.alarmsBeforeOnset = j.at("alarms_before_onset").get<int>();
    o.alarmsWrongSegment = j.at("alarms_wrong_segment").get<int>();
    o.estimated = j.at("estimated").get<bool>();
    o.estimateTime_s = num(j.at("estimate_time_s"));
    o.rate_kg_s = num(j.at("rate_kg_s"));
    o.rateSigma_kg_s = num(j.at("rate_sigma_kg_s"));
    o.onsetEstimate_s = num(j.at("onset_estimate_s"));
    o.onsetLow_s = num(j.at("onset_low_s"));
    o.onsetHigh_s = num(j.at("onset_high_s"));
    o.truthRate_kg_s = num(j.at("truth_rate_kg_s"));
    o.truthRateAtOnset_kg_s = num(j.at("truth_rate_at_onset_kg_s"));
    o.whiteSigma_kg = num(j.at("white_sigma_kg"));
    o.blockPeriod_s = num(j.at("block_period_s"));
    o.segmentSeconds = num(j.at("segment_seconds"));
    o.wall_s = num(j.at("wall_s"));
    if (j.contains("limit_time_s")) o.limitTime_s = num(j.at("limit_time_s"));
    if (j.contains("excursions"))  // journals before the excursions have none: counted as 0
      o.excursions = j.at("excursions").get<std::array<int, harness::kExcursionLevels.size()>>();
    if (j.contains("after_alarm"))
      for (const Json& b : j.at("after_alarm")) {
        harness::BlockScore s{num(b.at(0)), b.at(1).get<int>() != 0, b.at(2).get<int>()};
        if (b.size() >= 6) {  // the reserve times (journals before them have three fields)
          s.reserveLow_s = num(b.at(3));
          s.reserve_s = num(b.at(4));
          s.trueReserve_s = num(b.at(5));
        }
        o.afterAlarm.push_back(s);
      }
    return std::pair<std::size_t, RunRecord>{index, std::move(r)};
  } catch (const std::exception& e) {
    return Error{std::string("not a run record: ") + e.what()};
  }
}

std::vector<std::string> journalParts(const std::string& path) {
  std::vector<std::string> parts;
  std::error_code ec;
  if (fs::exists(path, ec)) parts.push_back(path);
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  const std::string prefix = p.filename().string() + ".rank-";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0 &&
        name.find_first_not_of("0123456789", prefix.size()) == std::string::npos &&
        name.size() > prefix.size())
      parts.push_back((dir / name).string());
  }
  std::sort(parts.begin() + (parts.empty() || parts.front() != path ? 0 : 1), parts.end());
  return parts;
}

void removeJournal(const std::string& path) {
  for (const std::string& part : journalParts(path)) std::remove(part.c_str());
}

Result<std::map<std::size_t, RunRecord>> loadJournal(const std::string& path,
                                                     const std::string& fingerprint,
                                                     const std::vector<PlannedRun>& plan) {
  std::map<std::size_t, RunRecord> done;
  for (const std::string& part : journalParts(path)) {
    std::error_code ec;
    // Reading a directory throws from deep in the stream library: say what it is instead.
    if (!fs::is_regular_file(part, ec))
      return Error{part + ": the campaign journal is not a regular file"};
    std::ifstream in(part, std::ios::binary);
    if (!in) return Error{part + ": cannot read the campaign journal: " + std::strerror(errno)};
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Only whole lines count: a process killed mid-write leaves a torn last line.
    const std::size_t whole = text.rfind('\n');
    text = whole == std::string::npos ? std::string() : text.substr(0, whole + 1);
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
      ++number;
      const std::string where = part + ":" + std::to_string(number) + ": ";
      if (number == 1) {
        Json h;
        try {
          h = Json::parse(line);
        } catch (const std::exception&) {
        }
        if (!h.is_object() || h.value("format", "") != kFormat)
          return Error{where + "not a leakhunt campaign journal (remove it or give --journal)"};
        if (h.value("fingerprint", "") != fingerprint)
          return Error{where +
                       "this journal belongs to another campaign plan (spec, --runs or "
                       "--leak-free-runs changed); use --fresh to start over or another --journal"};
        continue;
      }
      Result<std::pair<std::size_t, RunRecord>> rec = parseRecordLine(line, plan);
      if (!rec) return Error{where + rec.error().message};
      done[rec->first] = std::move(rec.value().second);
    }
  }
  return done;
}

Result<std::unique_ptr<JournalWriter>> JournalWriter::open(const std::string& path, int rank,
                                                           const std::string& fingerprint) {
  auto w = std::make_unique<JournalWriter>();
  w->m_file = journalPartPath(path, rank);
  std::error_code ec;
  if (fs::exists(w->m_file, ec) && !fs::is_regular_file(w->m_file, ec))
    return Error{w->m_file + ": the campaign journal is not a regular file"};
  const bool fresh = !fs::exists(w->m_file, ec) || fs::file_size(w->m_file, ec) == 0;
  if (!fresh) {
    // Cut a torn last line so the next record starts on a line of its own.
    std::ifstream in(w->m_file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t whole = text.rfind('\n');
    const std::uintmax_t keep = whole == std::string::npos ? 0 : whole + 1;
    if (keep != text.size()) fs::resize_file(w->m_file, keep, ec);
    if (ec) return Error{w->m_file + ": cannot repair the journal: " + ec.message()};
  }
  const bool empty = fresh || !fs::exists(w->m_file, ec) || fs::file_size(w->m_file, ec) == 0;
  w->m_out.open(w->m_file, std::ios::binary | std::ios::app);
  if (!w->m_out)
    return Error{w->m_file + ": cannot write the campaign journal: " + std::strerror(errno)};
  if (empty) {
    w->m_out
        << Json{{"format", kFormat}, {"version", kVersion}, {"fingerprint", fingerprint}}.dump()
        << '\n';
    w->m_out.flush();
    if (!w->m_out) return Error{w->m_file + ": writing the campaign journal failed"};
  }
  return w;
}

Result<bool> JournalWriter::append(std::size_t index, const RunRecord& record) {
  m_out << recordLine(index, record) << '\n';
  m_out.flush();  // a killed process loses at most the run under way
  if (!m_out) return Error{m_file + ": writing the campaign journal failed (disk full?)"};
  return true;
}

}  // namespace leakhunt::campaign
