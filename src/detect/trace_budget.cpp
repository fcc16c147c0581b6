#include "detect/trace_budget.hpp"

#include <algorithm>
#include <cmath>

namespace leakhunt::detect {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The linear piece the mass moves on from `m`: dm/dt = a - r m, with the coils whose floor it
// is above (rising: at or above, since a coil switches on as m passes its floor).
struct Piece {
  double a = 0.0, r = 0.0;
};

Piece pieceAt(const TraceBudget& b, double m, bool rising) {
  Piece p{b.production_kg_s, b.linearRate_per_s};
  for (const TraceFloor& c : b.coils) {
    if (c.floor_kg < m || (rising && c.floor_kg == m)) {
      p.a += c.rate_per_s * c.floor_kg;
      p.r += c.rate_per_s;
    }
  }
  return p;
}

// The next mass where the piece changes, in the direction of travel.
double nextBreak(const TraceBudget& b, double m, bool rising) {
  double edge = rising ? b.cap_kg : -kInf;
  for (const TraceFloor& c : b.coils) {
    if (rising && c.floor_kg > m) edge = std::min(edge, c.floor_kg);
    if (!rising && c.floor_kg < m) edge = std::max(edge, c.floor_kg);
  }
  return edge;
}

}  // namespace

double advanceTrace(const TraceBudget& b, double m, double dt) {
  m = std::min(m, b.cap_kg);  // above saturation it has condensed already
  // Each pass ends the step or crosses one break, and m never turns back: bounded.
  for (std::size_t pass = 0; pass < b.coils.size() + 3 && dt > 0.0; ++pass) {
    const Piece down = pieceAt(b, m, false);
    const double slope = down.a - down.r * m;
    if (slope == 0.0) break;
    const bool rising = slope > 0.0;
    if (rising && m >= b.cap_kg) return b.cap_kg;  // held at saturation: the rest condenses
    const Piece p = rising ? pieceAt(b, m, true) : down;
    const double edge = nextBreak(b, m, rising);
    if (p.r > 0.0) {
      const double target = p.a / p.r;
      const bool reaches = rising ? target <= edge : target >= edge;
      if (!reaches) {
        const double toEdge_s = std::log((m - target) / (edge - target)) / p.r;
        if (toEdge_s < dt) {
          m = edge;
          dt -= toEdge_s;
          continue;
        }
      }
      return target + (m - target) * std::exp(-p.r * dt);
    }
    // Nothing removes it on this piece: it rises at the production rate.
    const double toEdge_s = (edge - m) / p.a;
    if (toEdge_s < dt) {
      m = edge;
      dt -= toEdge_s;
      continue;
    }
    return m + p.a * dt;
  }
  return m;
}

}  // namespace leakhunt::detect
