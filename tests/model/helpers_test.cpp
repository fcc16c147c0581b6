// The small pieces messages rely on: suggestions and UTC times.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/did_you_mean.hpp"
#include "model/utc_time.hpp"

namespace leakhunt::model {
namespace {

TEST(DidYouMean, one_typo_finds_the_name) {
  const std::vector<std::string> modules{"zvezda", "zarya", "unity", "soyuz-ms09-om"};
  EXPECT_EQ(didYouMean("zvezdaa", modules), " (did you mean 'zvezda'?)");
  EXPECT_EQ(didYouMean("zayra", modules), " (did you mean 'zarya'?)");  // swapped letters
  EXPECT_EQ(didYouMean("soyuz-ms90-om", modules), " (did you mean 'soyuz-ms09-om'?)");
}

TEST(DidYouMean, nothing_close_suggests_nothing) {
  const std::vector<std::string> modules{"zvezda", "zarya"};
  EXPECT_EQ(didYouMean("columbus", modules), "");
  EXPECT_EQ(didYouMean("", modules), "");
  EXPECT_EQ(didYouMean(std::string(10000, 'z'), modules), "");
}

TEST(DidYouMean, edit_distance_counts_edits) {
  EXPECT_EQ(editDistance("volume", "volum"), 1u);
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(editDistance("ab", "ba"), 1u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
}

TEST(UtcTime, the_soyuz_hole_start_is_known_unix_time) {
  const auto t = parseUtc("2018-08-29T18:00:00Z");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_DOUBLE_EQ(*t, 1535565600.0);
}

TEST(UtcTime, fractions_and_offsets) {
  EXPECT_DOUBLE_EQ(*parseUtc("1970-01-01T00:00:00.250Z"), 0.25);
  EXPECT_DOUBLE_EQ(*parseUtc("1970-01-01T03:00:00+03:00"), 0.0);
  EXPECT_DOUBLE_EQ(*parseUtc("2000-03-01T00:00:00Z") - *parseUtc("2000-02-28T00:00:00Z"),
                   2 * 86400.0);  // 2000 is a leap year
}

TEST(UtcTime, malformed_times_are_refused) {
  EXPECT_FALSE(parseUtc("2018-08-29T18:00:00").ok());
  EXPECT_FALSE(parseUtc("2018-13-01T00:00:00Z").ok());
  EXPECT_FALSE(parseUtc("2019-02-29T00:00:00Z").ok());
  EXPECT_FALSE(parseUtc("2018-08-29T24:00:00Z").ok());
  EXPECT_FALSE(parseUtc("2018-08-29").ok());
  EXPECT_FALSE(parseUtc("2018-08-29T18:00:00Zjunk").ok());
  EXPECT_FALSE(parseUtc("").ok());
}

TEST(UtcTime, dates_are_told_from_durations) {
  EXPECT_TRUE(looksLikeDate("2018-08-29T18:00:00Z"));
  EXPECT_FALSE(looksLikeDate("+1.5 h"));
  EXPECT_FALSE(looksLikeDate("2018 s"));
}

}  // namespace
}  // namespace leakhunt::model
