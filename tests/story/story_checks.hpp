// What every story must get right, whatever its scenario (issue 20, "Every story"): the
// timeline in time order, no date before the scenario's start nor after the end of the run the
// report states, no negative duration, every alarm raised listed in the summary and judged
// beside the truth, a look-back on the named module told only once it was named, and the table
// beside the record filled. Checked on the report as the CLI prints it (its timeline and
// tables), so the in-process stories and `leakhunt demo`'s report.json go through the same
// checks.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <regex>
#include <string>
#include <vector>

#include "report/report.hpp"

namespace leakhunt::story::checks {

// Every "YYYY-MM-DD HH:MM UTC" in `text` (story/wording.hpp's humanTime), as Unix seconds.
inline std::vector<double> datesIn(const std::string& text) {
  static const std::regex date(R"((\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) UTC)");
  std::vector<double> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), date); it != std::sregex_iterator();
       ++it) {
    std::tm tm{};
    tm.tm_year = std::stoi((*it)[1]) - 1900;
    tm.tm_mon = std::stoi((*it)[2]) - 1;
    tm.tm_mday = std::stoi((*it)[3]);
    tm.tm_hour = std::stoi((*it)[4]);
    tm.tm_min = std::stoi((*it)[5]);
    out.push_back(static_cast<double>(timegm(&tm)));
  }
  return out;
}

// A duration as humanDuration words it, negative: "-2 h 46 min", "-75 s", "-3.1 h", "-4.2 d".
// (A negative rate, "-0.03 ± 0.02 kg/h", is an estimate, not a duration.)
inline bool hasNegativeDuration(const std::string& text) {
  static const std::regex negative(R"((^|[^\w.])-\d+(\.\d+)? (s|min|h|d)\b)");
  return std::regex_search(text, negative);
}

inline const report::Table* table(const report::Report& r, const std::string& titleStart) {
  for (const report::Table& t : r.tables)
    if (t.title.starts_with(titleStart)) return &t;
  return nullptr;
}

inline std::vector<std::string> textsOf(const report::Report& r) {
  std::vector<std::string> out;
  for (const report::TimelineEntry& e : r.timeline) {
    out.push_back(e.happened);
    out.push_back(e.concluded);
  }
  for (const report::Table& t : r.tables)
    for (const auto& row : t.rows)
      for (const std::string& cell : row) out.push_back(cell);
  return out;
}

// `start_s`: the scenario's start (Unix); `alarmsInSummary`: the alarms the summary lists.
inline void expectATrueStory(const report::Report& r, double start_s, std::size_t alarmsInSummary) {
  const std::vector<report::TimelineEntry>& tl = r.timeline;
  ASSERT_FALSE(tl.empty());
  // In time order, nothing before the start.
  for (std::size_t i = 0; i < tl.size(); ++i) {
    EXPECT_GE(tl[i].t, start_s) << tl[i].happened;
    if (i > 0) {
      EXPECT_GE(tl[i].t, tl[i - 1].t) << tl[i].happened;
    }
  }
  // Nothing after the end of the run the report's subtitle states ("simulated from S to E").
  const std::vector<double> span = datesIn(r.subtitle);
  ASSERT_EQ(span.size(), 2u) << r.subtitle;
  EXPECT_EQ(span[0], std::floor(start_s / 60.0) * 60.0) << r.subtitle;
  for (const report::TimelineEntry& e : tl) EXPECT_LT(e.t, span[1] + 60.0) << e.happened;
  // No date anywhere in the story before the start; no negative duration.
  for (const std::string& text : textsOf(r)) {
    for (double d : datesIn(text)) EXPECT_GE(d, start_s) << text;
    EXPECT_FALSE(hasNegativeDuration(text)) << text;
  }
  // Every alarm raised (told as a LEAK ALARM) is in the summary, in the table of alarms at its
  // time, and judged beside the truth.
  std::vector<double> told;
  for (const report::TimelineEntry& e : tl)
    if (e.happened.starts_with("LEAK ALARM")) told.push_back(e.t);
  EXPECT_EQ(told.size(), alarmsInSummary);
  const report::Table* alarms = table(r, "Alarms leakhunt raised");
  ASSERT_NE(alarms, nullptr);
  std::size_t listed = 0, judged = 0;
  for (const auto& row : alarms->rows)
    if (row.size() > 1 && row[0] != "-") ++listed;
  EXPECT_EQ(listed, told.size());
  for (std::size_t i = 0; i < told.size() && i < alarms->rows.size(); ++i) {
    ASSERT_GT(alarms->rows[i].size(), 1u);
    const std::vector<double> at = datesIn(alarms->rows[i][1]);
    ASSERT_EQ(at.size(), 1u) << alarms->rows[i][1];
    EXPECT_EQ(at[0], std::floor(told[i] / 60.0) * 60.0) << alarms->rows[i][1];
  }
  const report::Table* beside = table(r, "Beside the truth");
  ASSERT_NE(beside, nullptr);
  for (const auto& row : beside->rows)
    if (!row.empty() && row[0].starts_with("alarm ")) {
      ++judged;
      ASSERT_EQ(row.size(), 3u);
      EXPECT_TRUE(row[2].starts_with("TRUE") || row[2].starts_with("FALSE")) << row[2];
    }
  EXPECT_EQ(judged, told.size());
  // The ground test of the module leakhunt named is told once it was named, not before.
  double named = NAN, groundTest = NAN;
  for (const report::TimelineEntry& e : tl) {
    if (std::isnan(named) &&
        (e.happened.starts_with("LEAK CORNERED") || e.happened.starts_with("THE PLANNER STOPPED")))
      named = e.t;
    if (e.stage == "ground test") groundTest = e.t;
  }
  if (!std::isnan(groundTest)) {
    ASSERT_FALSE(std::isnan(named)) << "a ground test of a module nobody named";
    EXPECT_GE(groundTest, named);
  }
  // The table beside the record: every cell filled.
  const report::Table* record = table(r, "leakhunt beside the record");
  ASSERT_NE(record, nullptr);
  EXPECT_FALSE(record->rows.empty());
  for (const auto& row : record->rows) {
    EXPECT_EQ(row.size(), record->columns.size());
    for (std::size_t c = 0; c < row.size(); ++c)
      EXPECT_FALSE(row[c].empty()) << row[0] << ": column '" << record->columns[c] << "' empty";
  }
}

}  // namespace leakhunt::story::checks
