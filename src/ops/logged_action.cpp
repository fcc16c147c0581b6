#include "ops/logged_action.hpp"

#include <algorithm>

namespace leakhunt::ops {
namespace {

template <class Entry, class Time>
void insertInOrder(std::vector<Entry>& list, const Entry& entry, Time time) {
  const auto at =
      std::upper_bound(list.begin(), list.end(), entry,
                       [&](const Entry& a, const Entry& b) { return time(a) < time(b); });
  list.insert(at, entry);
}

}  // namespace

double timeOf(const LoggedAction& action) {
  struct {
    double operator()(const detect::LoggedHatch& a) const { return a.time_s; }
    double operator()(const detect::LoggedCrewMove& a) const { return a.time_s; }
    double operator()(const detect::LoggedPatch& a) const { return a.time_s; }
    double operator()(const detect::LoggedRepress& a) const { return a.start_s; }
  } time;
  return std::visit(time, action);
}

void append(detect::LoggedEvents& log, const LoggedAction& action) {
  const auto at = [](const auto& e) { return timeOf(LoggedAction{e}); };
  if (const auto* h = std::get_if<detect::LoggedHatch>(&action)) insertInOrder(log.hatches, *h, at);
  if (const auto* c = std::get_if<detect::LoggedCrewMove>(&action))
    insertInOrder(log.crewMoves, *c, at);
  if (const auto* p = std::get_if<detect::LoggedPatch>(&action)) insertInOrder(log.patches, *p, at);
  if (const auto* r = std::get_if<detect::LoggedRepress>(&action))
    insertInOrder(log.represses, *r, at);
}

}  // namespace leakhunt::ops
