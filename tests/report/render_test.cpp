// The page and its figures are produced by the real renderer (matplotlib, Graphviz): every
// plot and schematic lands as SVG and PNG, and the page holds every one of them inline.
#include "report/render.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "model/load.hpp"
#include "report/report_json.hpp"
#include "report/schematic.hpp"

namespace leakhunt::report {
namespace {

Report smallReport() {
  Report r;
  r.title = "Test <report> & \"quotes\"";
  r.subtitle = "a small one";
  r.timeline.push_back({1535565600.0, "leak", "a hole opens", "nothing yet"});
  r.tables.push_back(
      {"Summary", {"quantity", "leakhunt", "record"}, {{"time to alarm", "9 min", "3 h"}}});
  LinePlot p;
  p.id = "pressures";
  p.title = "Pressure";
  p.yLabel = "pressure [mmHg]";
  Series s;
  s.label = "segment A";
  for (int i = 0; i < 50; ++i) {
    s.t.push_back(1535565600.0 + 60.0 * i);
    s.y.push_back(760.0 - 0.01 * i);
    s.low.push_back(759.9 - 0.01 * i);
    s.high.push_back(760.1 - 0.01 * i);
  }
  s.y[10] = std::nan("");  // a gap must not break the drawing
  p.series.push_back(s);
  p.markers.push_back({1535565600.0 + 600.0, "hatch closed"});
  r.plots.push_back(p);
  auto station =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/two-module.yaml");
  EXPECT_TRUE(station.ok());
  SchematicState state;
  state.probability.assign(station->modules.size(), 0.5);
  r.schematics.push_back({"step-1", "step 1", schematicDot(*station, state)});
  return r;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Render, JsonHasNoNaN) {
  const std::string text = toJson(smallReport()).dump();
  EXPECT_EQ(text.find("NaN"), std::string::npos);
  EXPECT_NE(text.find("null"), std::string::npos);
}

TEST(Render, WritesEveryFigureAndASelfContainedPage) {
  const auto folder = std::filesystem::path(testing::TempDir()) / "leakhunt-render-test";
  std::filesystem::remove_all(folder);
  const Report report = smallReport();
  Result<ReportFiles> files = writeReport(report, folder);
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files->figures.size(), 4u);
  for (const auto& f : files->figures) EXPECT_GT(std::filesystem::file_size(f), 500u) << f;
  const std::string page = slurp(files->html);
  EXPECT_NE(page.find("<figure id='pressures'><svg"), std::string::npos);
  EXPECT_NE(page.find("<figure id='step-1'><svg"), std::string::npos);
  EXPECT_NE(page.find("Test &lt;report&gt; &amp;"), std::string::npos);   // escaped, not injected
  EXPECT_EQ(page.find("http://www.w3.org/Graphics"), std::string::npos);  // no DOCTYPE inside
  EXPECT_EQ(page.find("<script src"), std::string::npos);                 // nothing fetched
  EXPECT_EQ(page.find("<link"), std::string::npos);
}

TEST(Render, AFailingRendererIsAnErrorThatKeepsTheData) {
  const auto folder = std::filesystem::path(testing::TempDir()) / "leakhunt-render-fail";
  std::filesystem::remove_all(folder);
  setenv("LEAKHUNT_REPORT_RENDERER", "/nonexistent/render.py", 1);
  Result<ReportFiles> files = writeReport(smallReport(), folder);
  unsetenv("LEAKHUNT_REPORT_RENDERER");
  ASSERT_FALSE(files.ok());
  EXPECT_NE(files.error().message.find("report.json is kept"), std::string::npos)
      << files.error().message;
  EXPECT_TRUE(std::filesystem::exists(folder / "report.json"));
}

}  // namespace
}  // namespace leakhunt::report
