#include "model/did_you_mean.hpp"

#include <algorithm>
#include <vector>

namespace leakhunt::model {
namespace {

// Beyond these sizes a suggestion is unlikely to help and the cost (quadratic in length,
// linear in candidates) could make `check` crawl on hostile input.
constexpr std::size_t kMaxWordLength = 64;
constexpr std::size_t kMaxCandidates = 5000;

template <class Range>
std::optional<std::string> closest(std::string_view word, const Range& candidates) {
  if (word.empty() || word.size() > kMaxWordLength || candidates.size() > kMaxCandidates) {
    return std::nullopt;
  }
  // A third of the word may be wrong; one edit is always allowed so "h7" finds "h1".
  const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
  std::string_view best;
  std::size_t bestDistance = allowed + 1;
  for (const auto& candidate : candidates) {
    const std::string_view c(candidate);
    if (c == word || c.size() > kMaxWordLength) continue;
    const std::size_t d = editDistance(word, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  if (best.empty()) return std::nullopt;
  return std::string(best);
}

std::string phrase(const std::optional<std::string>& name) {
  return name ? " (did you mean '" + *name + "'?)" : "";
}

}  // namespace

std::size_t editDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus transposition of neighbours ("zayra").
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::optional<std::string> closestName(std::string_view word,
                                       std::span<const std::string> candidates) {
  return closest(word, candidates);
}

std::optional<std::string> closestName(std::string_view word,
                                       std::span<const std::string_view> candidates) {
  return closest(word, candidates);
}

std::string didYouMean(std::string_view word, std::span<const std::string> candidates) {
  return phrase(closest(word, candidates));
}

std::string didYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  return phrase(closest(word, candidates));
}

}  // namespace leakhunt::model
