// The plan as an adaptive tree a crew can follow (physics.md section 6): at each node, which
// hatches to close (and which to equalise and open), how long to watch, which pressure
// channels to read, and one branch per segment that may be seen losing gas. A branch assumes
// its outcome was read clearly; an unclear reading means: rerun `locate infer` and re-plan.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "locate/belief.hpp"
#include "locate/planner.hpp"

namespace leakhunt::locate {

struct PlanNode;

struct PlanBranch {
  std::vector<std::string> losing;  // the segment seen losing gas
  double probability = 0.0;         // of this outcome, given the path so far
  std::unique_ptr<PlanNode> next;   // empty at a conclusion
  std::string conclusion;           // "leak in soyuz-ms09-om (0.995)" or why it stops
};

struct PlanNode {
  std::vector<std::string> closed;      // hatches held closed in this configuration
  std::vector<std::string> operations;  // in order
  double switch_s = 0.0, settle_s = 0.0, dwell_s = 0.0;
  double expectedBits = 0.0;
  std::vector<std::vector<std::string>> segments;  // with candidate mass
  std::vector<std::vector<std::string>> read;      // pressure channels per segment
  std::vector<double> readingSigma_kg_s;
  std::vector<PlanBranch> branches;
};

struct Plan {
  std::string station;
  std::string strategy;
  double leakRate_kg_s = 0.0;
  std::vector<std::string> preface;  // crew moves before the first step
  std::unique_ptr<PlanNode> root;    // empty when no test is possible at all
  std::string conclusion;            // set when root is empty
  double expectedTime_s = 0.0;       // over the branches' probabilities
  double worstTime_s = 0.0;
  int nodes = 0;
};

struct PlanRequest {
  const model::Station* station = nullptr;
  CrewPlaces crew;                   // where the crew is when the plan starts
  std::vector<std::string> preface;  // how they got there
  std::vector<int> candidates;       // modules that may hold the leak
  LeakRate rate;
  PlannerOptions planner;
  PriorSpec prior;
  double stopProbability = 0.99;
  int maxDepth = 12;
};

Plan buildPlan(const PlanRequest& request);

// Crew places for a plan: each crew member in their own lifeboat, at its module nearest the
// station with a pressure sensor (the crew waits at the lifeboat's hatch), and the
// moves that take them there ("artemyev: zvezda -> soyuz-ms08-da").
CrewPlaces musterInLifeboats(const model::Station& station, const CrewPlaces& from,
                             std::vector<std::string>* moves);

}  // namespace leakhunt::locate
