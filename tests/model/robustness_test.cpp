// `check` must answer every input with diagnostics: never a crash, a hang or an exception.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

#include "check_helpers.hpp"

namespace leakhunt::model {
namespace {

using testing::check;
using testing::errors;
using testing::reports;
using testing::yaml;

const std::string kValid = yaml(R"(
name: Fuzz seed
station:
  atmosphere: {pressure: 760 mmHg, temperature: 22 degC,
               composition: {N2: 0.7808, O2: 0.2095, Ar: 0.0093, CO2: 0.0004}}
  modules:
    - {id: zvezda, volume: 75 m^3, vehicle: iss}
    - {id: soyuz-om, volume: 5 m^3, vehicle: soyuz}
  hatches:
    - {id: zvezda-soyuz, between: [zvezda, soyuz-om], diameter: 0.8 m}
  crew:
    - {id: gerst, location: zvezda, lifeboat: soyuz}
  life_support:
    - {id: co2, kind: co2_removal, module: zvezda, flow: 20 m^3/h, efficiency: 0.6}
    - {id: h2o, kind: h2o_removal, module: zvezda, flow: 40 m^3/h, efficiency: 0.35}
  sensors:
    - {channel: zvezda.pressure, module: zvezda, quantity: pressure, noise: 0.05 mmHg}
    - {channel: soyuz-om.pressure, module: soyuz-om, quantity: pressure, noise: 0.05 mmHg}
  repress_tanks:
    - {id: progress-o2, module: zvezda, gas: O2, mass: 47 kg}
start: 2018-08-29T18:00:00Z
duration: 24 h
events:
  - at: +1 h
    leak: {id: hole-1, module: soyuz-om, diameter: 2 mm, onset: ramp, duration: 1 h}
  - at: +2 h
    patch: {leak: hole-1, failure: {after: 1 day, duration: 1 day, diameter: 1 mm}}
  - at: +3 h
    repress: {module: zvezda, mass: 5 kg, tank: progress-o2}
  - at: +4 h
    sensor_fault: {channel: zvezda.pressure, kind: bias_jump, bias: 2 mmHg}
)");

// Every diagnostic must be printable and placed inside the text (or unplaced).
void expectWellFormed(const std::string& text, const std::vector<Diagnostic>& d) {
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 2;
  for (const auto& x : d) {
    EXPECT_FALSE(x.message.empty());
    EXPECT_GE(x.where.line, 0);
    EXPECT_LE(x.where.line, lines) << format(x);
    EXPECT_FALSE(format(x).empty());
  }
}

TEST(Robustness, the_fuzz_seed_is_valid) {
  const auto d = check(kValid);
  EXPECT_TRUE(d.empty()) << testing::listing(d);
}

TEST(Robustness, every_truncation_is_answered) {
  for (std::size_t n = 0; n < kValid.size(); ++n) {
    const std::string text = kValid.substr(0, n);
    std::vector<Diagnostic> d;
    ASSERT_NO_THROW(d = check(text)) << "truncated at " << n;
    expectWellFormed(text, d);
  }
}

TEST(Robustness, random_mutations_are_answered) {
  std::mt19937 rng(20180829);
  const std::string alphabet = ":-[]{},&*!|>'\"#?%@`\t\n \x01\xff\xc3 0123456789e.+abcz";
  for (int round = 0; round < 3000; ++round) {
    std::string text = kValid;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % text.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 4) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        case 2:
          text.erase(at, 1 + rng() % 8);
          break;
        default:  // move a slice elsewhere: breaks indentation and nesting
          text.insert(rng() % text.size(), text.substr(at, rng() % 40));
      }
      if (text.empty()) text = "x";
    }
    std::vector<Diagnostic> d;
    ASSERT_NO_THROW(d = check(text)) << "round " << round << ":\n" << text;
    expectWellFormed(text, d);
  }
}

TEST(Robustness, empty_file) {
  EXPECT_TRUE(reports(check(""), 1, "file is empty"));
  EXPECT_TRUE(reports(check("# only a comment\n"), 1, "file is empty"));
}

TEST(Robustness, binary_junk) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string text(1 + rng() % 2000, '\0');
    for (char& c : text) c = static_cast<char>(rng() % 256);
    std::vector<Diagnostic> d;
    ASSERT_NO_THROW(d = check(text));
    EXPECT_GE(errors(d), 1);
  }
}

TEST(Robustness, a_list_at_top_level) {
  EXPECT_TRUE(reports(check("- a\n- b\n"), 1, "expected a mapping (key: value) at the top level"));
  EXPECT_TRUE(reports(check("just words\n"), 1, "expected a mapping"));
}

TEST(Robustness, huge_numbers_and_nan) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 1e999 m^3}
  - {id: b, volume: nan m^3}
  - {id: c, volume: .nan}
  - {id: d, volume: 1e308 km^3}
  - {id: e, volume: 99999999999999999999999999999999999999 m^3}
hatches:
  - {id: h, between: [a, b], diameter: -inf m, cd: nan}
)"));
  EXPECT_TRUE(reports(d, 2, "out of range"));
  EXPECT_TRUE(reports(d, 3, "not a finite number"));
  EXPECT_TRUE(reports(d, 4, "volume"));
  EXPECT_TRUE(reports(d, 5, "out of range"));
  EXPECT_TRUE(reports(d, 8, "diameter"));
  EXPECT_TRUE(reports(d, 8, "cd"));
  const auto seed = check(
      "station: {modules: [{id: a, volume: 1 m^3}]}\nstart: "
      "2018-08-29T18:00:00Z\nduration: 1 h\nseed: 99999999999999999999999\n");
  EXPECT_TRUE(reports(seed, 4, "seed must be a whole number"));
}

TEST(Robustness, deep_nesting) {
  EXPECT_GE(errors(check(std::string(100000, '['))), 1);
  std::string maps = "modules: ";
  for (int i = 0; i < 20000; ++i) maps += "{a: ";
  EXPECT_GE(errors(check(maps)), 1);
  std::string lists = "modules:\n";
  for (int i = 0; i < 3000; ++i)
    lists += std::string(static_cast<std::size_t>(i) * 2 + 2, ' ') + "-\n";
  EXPECT_GE(errors(check(lists)), 0);  // answered at all is the point
}

TEST(Robustness, aliases_cannot_make_check_crawl) {
  // One mapping with many unknown keys, aliased many times: quadratic without the cap.
  std::string text = "x: &m {";
  for (int i = 0; i < 20000; ++i) text += "k" + std::to_string(i) + ": 1, ";
  text += "id: a}\nmodules: [";
  for (int i = 0; i < 20000; ++i) text += "*m, ";
  text += "*m]\n";
  const auto begin = std::chrono::steady_clock::now();
  const auto d = check(text);
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_GE(errors(d), 1);
  EXPECT_LT(elapsed, std::chrono::seconds(20));
  EXPECT_LE(d.size(), 201u);
}

TEST(Robustness, many_bad_references_stay_fast) {
  std::string text = "modules:\n";
  for (int i = 0; i < 3000; ++i) text += "  - {id: m" + std::to_string(i) + ", volume: 1 m^3}\n";
  text += "crew:\n";
  for (int i = 0; i < 20000; ++i) {
    text += "  - {id: c" + std::to_string(i) + ", location: q" + std::to_string(i) +
            ", lifeboat: station}\n";
  }
  const auto begin = std::chrono::steady_clock::now();
  const auto d = check(text);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(20));
  EXPECT_GE(errors(d), 1);
}

TEST(Robustness, odd_but_legal_yaml_shapes) {
  for (const char* text : {
           "modules: 5\n",
           "modules: {id: a}\n",
           "modules: [[1, 2], 3, ~]\n",
           "? [a, b]\n: c\nmodules: []\n",
           "modules:\n  - {id: [a], volume: {x: 1}}\n",
           "modules:\n  - {id: a, volume: 5 m^3}\nhatches:\n  - {id: h, between: a}\n",
           "modules:\n  - {id: a, volume: 5 m^3}\nhatches:\n  - {id: h, between: [[a], {b: c}]}\n",
           "station: [1]\nevents: 3\n",
           "station: {modules: [{id: a, volume: 1 m^3}]}\nstart: x\nduration: 1 h\nevents: [1, "
           "[2]]\n",
           "station: {modules: [{id: a, volume: 1 m^3}]}\nstart: 2018-08-29T18:00:00Z\n"
           "duration: 1 h\nevents:\n  - {at: [1], leak: 5}\n",
           "---\nmodules: []\n---\nmodules: []\n",
           "a: &x 1\nb: *x\n",
           "modules: !!binary aGVsbG8=\n",
           "\xef\xbb\xbfmodules: []\n",
       }) {
    std::vector<Diagnostic> d;
    ASSERT_NO_THROW(d = check(text)) << text;
    EXPECT_GE(errors(d), 1) << text;
  }
}

}  // namespace
}  // namespace leakhunt::model
