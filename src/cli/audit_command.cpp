// `leakhunt audit verify DB [--json] [--expect-head HASH]`: checks an archive's hash-chained
// audit log, the channel catalogue and tokens it records, and the samples each ingest entry
// commits to, and lists telemetry gaps.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "archive/verify.hpp"
#include "cli/commands.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::cli {
namespace {

struct AuditArgs {
  std::string db, expectHead;
  bool json = false;
  double gapFactor = 5.0, gapMinimum_s = 5.0;
};

int runVerify(const AuditArgs& a) {
  archive::GapOptions gaps;
  gaps.factor = a.gapFactor;
  gaps.minimum_s = a.gapMinimum_s;
  Result<archive::VerifyReport> r = archive::verifyArchive(a.db, gaps);
  if (!r) {
    std::cerr << r.error().message << "\n";
    return 2;
  }
  archive::VerifyReport& v = r.value();
  if (!a.expectHead.empty() && a.expectHead != v.headHash)
    v.problems.push_back({v.entries, "the last entry's hash is not the expected head " +
                                         a.expectHead + " (entries truncated or replaced)"});
  if (a.json) {
    nlohmann::ordered_json j{{"archive", a.db},
                             {"intact", v.intact()},
                             {"entries", v.entries},
                             {"samples", v.samples},
                             {"head_hash", v.headHash},
                             {"problems", nlohmann::json::array()},
                             {"gaps", nlohmann::json::array()}};
    for (const auto& p : v.problems) j["problems"].push_back({{"seq", p.seq}, {"what", p.what}});
    for (const auto& g : v.gaps)
      j["gaps"].push_back({{"channel", g.channel},
                           {"start_s", g.start_s},
                           {"end_s", g.end_s},
                           {"duration_s", g.end_s - g.start_s},
                           {"open", g.open}});
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf("%s: %lld audit entries, %lld samples, head %s\n", a.db.c_str(),
                static_cast<long long>(v.entries), static_cast<long long>(v.samples),
                v.headHash.c_str());
    for (const auto& p : v.problems)
      if (p.seq > 0)
        std::printf("TAMPERED entry %lld: %s\n", static_cast<long long>(p.seq), p.what.c_str());
      else  // no entry to point at: a row the log never had
        std::printf("TAMPERED archive: %s\n", p.what.c_str());
    if (v.intact()) std::printf("audit log intact\n");
    for (const auto& g : v.gaps)
      std::printf("gap %-32s %s .. %s  (%.0f s%s)\n", g.channel.c_str(),
                  telemetry::formatTime(g.start_s).c_str(), telemetry::formatTime(g.end_s).c_str(),
                  g.end_s - g.start_s, g.open ? ", still silent at the archive's end" : "");
    std::printf("%zu telemetry gap(s)\n", v.gaps.size());
  }
  return v.intact() ? 0 : 1;
}

}  // namespace

void addAuditCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("audit", "verify an archive's audit log and telemetry gaps");
  cmd->require_subcommand(1);
  auto args = std::make_shared<AuditArgs>();
  CLI::App* verify = cmd->add_subcommand(
      "verify", "check the hash chain, channels, tokens and sample digests; list gaps");
  verify->footer(R"(
Exit status: 0 intact, 1 tampered (each problem is listed: an entry edited, deleted or
reordered; samples changed under a batch; a channel or token inserted, deleted, renamed or
given another role or hash behind the log's back), 2 unreadable or of another archive format.
Truncation of the newest entries leaves a valid shorter chain: keep the printed head hash
elsewhere and pass it with --expect-head.
A gap is a spacing longer than --gap-factor times the channel's median spacing and at least
--gap-min seconds; a channel still silent at the end has an open gap.

Example:
  leakhunt audit verify soyuz-ms09-2018.leakhunt.db --json)");
  verify->add_option("DB", args->db, "archive file")->required()->check(CLI::ExistingFile);
  verify->add_flag("--json", args->json, "one JSON document (SI units)");
  verify->add_option("--expect-head", args->expectHead, "the head hash recorded earlier");
  verify->add_option("--gap-factor", args->gapFactor, "gap: spacing over this x median")
      ->capture_default_str();
  verify->add_option("--gap-min", args->gapMinimum_s, "gap: at least this long [s]")
      ->capture_default_str();
  verify->callback([args] {
    const int code = runVerify(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace leakhunt::cli
