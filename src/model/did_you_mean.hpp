// Suggestions for misspelt names, so a message can say what was probably meant.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace leakhunt::model {

// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`.
std::size_t editDistance(std::string_view a, std::string_view b);

// The closest candidate within a few edits (a third of the word), if any.
std::optional<std::string> closestName(std::string_view word,
                                       std::span<const std::string> candidates);
std::optional<std::string> closestName(std::string_view word,
                                       std::span<const std::string_view> candidates);

// " (did you mean 'zvezda'?)" for the closest candidate within a few edits, else "".
std::string didYouMean(std::string_view word, std::span<const std::string> candidates);
std::string didYouMean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace leakhunt::model
