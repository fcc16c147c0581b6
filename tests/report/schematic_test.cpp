// The schematic is drawn from the description: every module and hatch appears, closed hatches
// look closed, probability shows as colour, and names cannot break the DOT text.
#include "report/schematic.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "model/load.hpp"

namespace leakhunt::report {
namespace {

model::Station loadIss() {
  auto station =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml");
  EXPECT_TRUE(station.ok()) << (station ? "" : station.error().message);
  return *station;
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(Schematic, EveryModuleIsABoxAndEveryHatchALink) {
  const model::Station iss = loadIss();
  const std::string dot = schematicDot(iss, {});
  for (const model::Module& m : iss.modules)
    EXPECT_NE(dot.find("\"" + m.id + "\" [label="), std::string::npos) << m.id;
  EXPECT_EQ(count(dot, " -- "), static_cast<int>(iss.hatches.size()));
}

TEST(Schematic, ClosedHatchesAreDrawnClosed) {
  const model::Station iss = loadIss();
  SchematicState state;
  state.hatchOpen.assign(iss.hatches.size(), true);
  EXPECT_EQ(count(schematicDot(iss, state), "label=\"closed\""), 0);
  state.hatchOpen[0] = false;
  state.hatchOpen[3] = false;
  EXPECT_EQ(count(schematicDot(iss, state), "label=\"closed\""), 2);
}

TEST(Schematic, ProbabilityIsColourAndText) {
  const model::Station iss = loadIss();
  SchematicState state;
  state.probability.assign(iss.modules.size(), 0.0);
  state.probability[2] = 1.0;
  state.marked = 2;
  const std::string dot = schematicDot(iss, state);
  EXPECT_EQ(count(dot, "p = 1.00"), 1);
  EXPECT_EQ(count(dot, "p = 0.00"), static_cast<int>(iss.modules.size()) - 1);
  EXPECT_EQ(count(dot, "fillcolor=\"" + probabilityColour(1.0) + "\""), 1);
  EXPECT_EQ(count(dot, "penwidth=3"), 1);
}

TEST(Schematic, ColourRunsFromWhiteToRedAndClampsNonsense) {
  EXPECT_EQ(probabilityColour(0.0), "#ffffff");
  EXPECT_EQ(probabilityColour(1.0), "#d32f2f");
  EXPECT_EQ(probabilityColour(0.5), "#ffc107");
  EXPECT_EQ(probabilityColour(-3.0), probabilityColour(0.0));
  EXPECT_EQ(probabilityColour(7.0), probabilityColour(1.0));
  EXPECT_EQ(probabilityColour(std::nan("")), probabilityColour(0.0));
}

TEST(Schematic, QuotesInNamesAreEscaped) {
  model::Station s;
  model::Module a;
  a.id = "a\"b";
  a.name = "The \"A\" module";
  model::Module c;
  c.id = "c";
  c.name = "back\\slash";
  model::Hatch h;
  h.id = "h";
  h.moduleA = a.id;
  h.moduleB = c.id;
  s.modules = {a, c};
  s.hatches = {h};
  const std::string dot = schematicDot(s, {});
  EXPECT_NE(dot.find("\"a\\\"b\" -- \"c\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("tooltip=\"The \\\"A\\\" module\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("back\\\\slash"), std::string::npos) << dot;
}

}  // namespace
}  // namespace leakhunt::report
