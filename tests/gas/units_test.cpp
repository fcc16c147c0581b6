#include "gas/units.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

namespace leakhunt::gas {
namespace {

double si(std::string_view text, Dimension dim) {
  auto v = parseQuantity(text, dim);
  EXPECT_TRUE(v.ok()) << text << ": " << (v.ok() ? "" : v.error().message);
  return v.ok() ? *v : std::nan("");
}

std::string failure(std::string_view text, Dimension dim) {
  auto v = parseQuantity(text, dim);
  EXPECT_FALSE(v.ok()) << text << " parsed as " << (v.ok() ? *v : 0.0);
  return v.ok() ? "" : v.error().message;
}

TEST(Units, pressures_come_back_in_pascal) {
  EXPECT_NEAR(si("760 mmHg", Dimension::Pressure), 760 * 133.322387415, 1e-6);
  EXPECT_NEAR(si("14.7 psi", Dimension::Pressure), 14.7 * 6894.757293, 1e-3);
  EXPECT_NEAR(si("101.325 kPa", Dimension::Pressure), 101325.0, 1e-9);
}

TEST(Units, celsius_is_an_offset_not_a_scale) {
  EXPECT_NEAR(si("22 degC", Dimension::Temperature), 295.15, 1e-9);
  EXPECT_NEAR(si("0 degC", Dimension::Temperature), 273.15, 1e-9);
  EXPECT_NEAR(si("300 K", Dimension::Temperature), 300.0, 1e-12);
}

TEST(Units, a_temperature_difference_has_no_offset) {
  auto v = parseDifference("0.3 degC", Dimension::Temperature);
  ASSERT_TRUE(v.ok());
  EXPECT_NEAR(*v, 0.3, 1e-12);
  auto f = parseDifference("1.8 degF", Dimension::Temperature);
  ASSERT_TRUE(f.ok());
  EXPECT_NEAR(*f, 1.0, 1e-12);
}

TEST(Units, percent_is_a_hundredth) {
  EXPECT_NEAR(si("5 %", Dimension::Dimensionless), 0.05, 1e-15);
  EXPECT_NEAR(si("5%", Dimension::Dimensionless), 0.05, 1e-15);
  EXPECT_NEAR(si("0.65", Dimension::Dimensionless), 0.65, 1e-15);
}

TEST(Units, every_dimension_reaches_si) {
  EXPECT_NEAR(si("75 m^3", Dimension::Volume), 75.0, 1e-12);
  EXPECT_NEAR(si("1.3 mm^2", Dimension::Area), 1.3e-6, 1e-18);
  EXPECT_NEAR(si("2 mm", Dimension::Length), 2e-3, 1e-15);
  EXPECT_NEAR(si("1.5 h", Dimension::Time), 5400.0, 1e-9);
  EXPECT_NEAR(si("+1.5 h", Dimension::Time), 5400.0, 1e-9);
  EXPECT_NEAR(si("92 min", Dimension::Time), 5520.0, 1e-9);
  EXPECT_NEAR(si("47 kg", Dimension::Mass), 47.0, 1e-12);
  EXPECT_NEAR(si("0.84 kg/day", Dimension::MassRate), 0.84 / 86400.0, 1e-15);
  EXPECT_NEAR(si("30 m^3/h", Dimension::VolumeRate), 30.0 / 3600.0, 1e-15);
  EXPECT_NEAR(si("3 W/(m^2 K)", Dimension::HeatTransferCoefficient), 3.0, 1e-12);
  EXPECT_NEAR(si("30 deg", Dimension::Angle), std::numbers::pi / 6.0, 1e-12);
  EXPECT_NEAR(si("-5 m^3", Dimension::Volume), -5.0, 1e-12);
}

TEST(Units, dimension_mismatch_names_both_dimensions) {
  EXPECT_EQ(failure("5 psi", Dimension::Volume), "'5 psi' is a pressure, expected a volume");
  EXPECT_NE(failure("2 mm", Dimension::Area).find("is a length, expected an area"),
            std::string::npos);
  EXPECT_NE(failure("22 degC", Dimension::Pressure).find("is a temperature"), std::string::npos);
  EXPECT_NE(failure("5 kg/m", Dimension::Volume).find("is not a volume"), std::string::npos);
  EXPECT_NE(failure("5 m", Dimension::Dimensionless).find("is a length"), std::string::npos);
}

TEST(Units, a_bare_number_needs_a_unit_unless_dimensionless) {
  EXPECT_NE(failure("75", Dimension::Volume).find("no unit in '75'"), std::string::npos);
}

TEST(Units, unknown_units_are_named) {
  EXPECT_NE(failure("760 mmHgg", Dimension::Pressure).find("unknown unit 'mmHgg'"),
            std::string::npos);
}

TEST(Units, hostile_text_is_an_error_not_a_crash) {
  for (const char* text : {"", "   ", "psi", "nan m", "inf m^3", "1e400 m", "1e308 km", "++5 m",
                           "5 m^", "5 ((m", "5 m/0", "\xff\xfe", "5 \x01"}) {
    auto v = parseQuantity(text, Dimension::Length);
    if (v.ok()) {
      EXPECT_TRUE(std::isfinite(*v)) << text;
    } else {
      EXPECT_FALSE(v.error().message.empty()) << text;
    }
  }
  EXPECT_FALSE(parseQuantity("nan", Dimension::Dimensionless).ok());
  EXPECT_FALSE(parseQuantity("1e308 km", Dimension::Length).ok());
}

// The fuzzer's find (CI, 2026-11-29): udunits2 fails "m 0in" without setting its status, and
// leaks one identifier per failed parse (scripts/lsan.supp). Each failure must still say that
// the unit cannot be read, however often it repeats, and a good unit must parse after it.
TEST(Units, a_malformed_unit_is_named_every_time_it_is_given) {
  for (int i = 0; i < 3; ++i) {
    const std::string message = failure("2 m 0in", Dimension::Time);
    EXPECT_NE(message.find("cannot read the unit 'm 0in'"), std::string::npos) << message;
  }
  auto v = parseQuantity("2 min", Dimension::Time);
  ASSERT_TRUE(v.ok());
  EXPECT_DOUBLE_EQ(*v, 120.0);
}

TEST(Units, parsing_from_many_threads_agrees) {
  std::vector<std::thread> threads;
  std::vector<double> results(8, 0.0);
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, i] {
      for (int k = 0; k < 200; ++k) {
        auto v = parseQuantity("22 degC", Dimension::Temperature);
        results[i] += v.ok() ? *v : 0.0;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (double r : results) EXPECT_NEAR(r, 200 * 295.15, 1e-6);
}

}  // namespace
}  // namespace leakhunt::gas
