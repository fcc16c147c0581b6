// Speed of one planning step (issue 4: under 1 s for the ISS, under 10 s for a 200-module
// station). Times locate::nextTest on the prior belief, the widest question the planner gets,
// for ISS 2018 and for synthetic stations of 50 and 200 modules, and prints each against the
// ISS as the peer. Not a test: prints, never asserts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "locate/plan_tree.hpp"
#include "locate/planner.hpp"
#include "model/load.hpp"

using namespace leakhunt;

namespace {

// A random tree of modules (each joined to an earlier one), a tenth more hatches closing
// loops, a pressure sensor in every module, life support in the first two, two lifeboats of
// two modules each hanging off random modules, six crew.
model::Station synthetic(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  model::Station st;
  st.name = "synthetic " + std::to_string(n);
  st.limits = model::Limits{};
  const auto add = [&](const std::string& id, const std::string& vehicle, double volume) {
    model::Module m;
    m.id = id;
    m.vehicle = vehicle;
    m.volume_m3 = volume;
    st.modules.push_back(m);
    model::Sensor s;
    s.channel = id + ".pressure";
    s.module = id;
    s.noise = 6.67;
    s.resolution = 13.3;
    st.sensors.push_back(s);
  };
  const auto join = [&](const std::string& a, const std::string& b) {
    model::Hatch h;
    h.id = a + "-" + b;
    h.moduleA = a;
    h.moduleB = b;
    h.area_m2 = 0.5;
    st.hatches.push_back(h);
  };
  const int station = n - 4;
  for (int i = 0; i < station; ++i) {
    add("m" + std::to_string(i), "station", 5.0 + 95.0 * u(rng));
    if (i > 0)
      join("m" + std::to_string(rng() % static_cast<uint64_t>(i)), "m" + std::to_string(i));
  }
  for (int k = 0; k < station / 10; ++k) {
    const int a = static_cast<int>(rng() % static_cast<uint64_t>(station));
    const int b = static_cast<int>(rng() % static_cast<uint64_t>(station));
    if (a != b) join("m" + std::to_string(std::min(a, b)), "m" + std::to_string(std::max(a, b)));
  }
  for (int b = 0; b < 2; ++b) {
    const std::string v = "boat" + std::to_string(b);
    add(v + "-om", v, 6.5);
    add(v + "-da", v, 4.0);
    join("m" + std::to_string(rng() % static_cast<uint64_t>(station)), v + "-om");
    join(v + "-om", v + "-da");
    for (int c = 0; c < 3; ++c) st.crew.push_back({"c" + std::to_string(3 * b + c), "m0", v, {}});
  }
  for (int i = 0; i < 2; ++i) {
    model::LifeSupport o2, co2;
    o2.id = "o2-" + std::to_string(i);
    o2.kind = model::LifeSupportKind::O2Generation;
    o2.module = "m" + std::to_string(i);
    o2.rate_kg_s = 2.5 / 86400.0;
    co2.id = "co2-" + std::to_string(i);
    co2.kind = model::LifeSupportKind::Co2Removal;
    co2.module = o2.module;
    co2.flow_m3_s = 30.0 / 3600.0;
    co2.efficiency = 0.6;
    st.lifeSupport.push_back(o2);
    st.lifeSupport.push_back(co2);
  }
  return st;
}

double planStep_s(const model::Station& st, double rate_kg_s, int repeats, int* configurations) {
  const locate::StationFacts facts = locate::factsOf(st);
  const locate::CrewPlaces crew =
      locate::musterInLifeboats(st, locate::declaredCrewPlaces(st), nullptr);
  const locate::Segments seg = locate::segmentsOf(st, locate::declaredHatches(st));
  std::size_t largest = 0;
  for (std::size_t g = 0; g < seg.members.size(); ++g)
    if (seg.members[g].size() > seg.members[largest].size()) largest = g;
  const locate::Belief belief(st, seg.members[largest], locate::PriorSpec{});
  locate::PlanState ps{&st, &facts, crew, {rate_kg_s, 0.5 * rate_kg_s}, locate::declaredHatches(st),
                       0,   {},     0.0};
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    std::string why;
    const auto t0 = std::chrono::steady_clock::now();
    const auto t = locate::nextTest(ps, belief, locate::PlannerOptions{}, &why);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    *configurations = t ? static_cast<int>(t->segments.size()) : 0;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string iss =
      argc > 1 ? argv[1] : std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml";
  Result<model::Station> st = model::loadStation(iss);
  if (!st) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    return 1;
  }
  int segs = 0;
  const double peer = planStep_s(*st, 4.9e-4, 7, &segs);
  std::printf("%-34s %4zu modules %4zu hatches  median %8.4f s  (ratio 1.00, %d segments)\n",
              "ISS 2018, 2 mm, prior belief", st->modules.size(), st->hatches.size(), peer, segs);
  const double slow = planStep_s(*st, 1.6e-5, 7, &segs);
  std::printf("%-34s %4zu modules %4zu hatches  median %8.4f s  (ratio %.2f, %d segments)\n",
              "ISS 2018, 1.4 kg/day, prior belief", st->modules.size(), st->hatches.size(), slow,
              slow / peer, segs);
  for (int n : {50, 200}) {
    const model::Station s = synthetic(n, 7);
    const double t = planStep_s(s, 4.9e-4, 3, &segs);
    std::printf("%-34s %4zu modules %4zu hatches  median %8.4f s  (ratio %.2f, %d segments)\n",
                ("synthetic " + std::to_string(n) + ", 2 mm, prior belief").c_str(),
                s.modules.size(), s.hatches.size(), t, t / peer, segs);
  }
  return 0;
}
