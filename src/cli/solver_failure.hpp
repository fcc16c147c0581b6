// Why a simulation stopped, said in the input's terms (issue 21, item 14). The integrator's own
// words ("CVODE says CV_CONV_FAILURE") name nothing a flight controller could change; the likely
// causes are in the input: a value no crewed cabin has, or a hole that emptied a module (with
// `thermal: adiabatic-walls` the gas of an emptied module has no temperature to follow).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "sim/habitability.hpp"

namespace leakhunt::cli {

// The lines `simulate` prints after a failed run: what was reached, what in the input made the
// problem impossible, and what to change. `modules`: what the run saw of each module before it
// failed; `lastOutput_s`: the Unix time of its last output, if any.
std::vector<std::string> explainSolverFailure(const std::string& path,
                                              const model::Scenario& scenario,
                                              const std::vector<sim::ModuleHabitability>& modules,
                                              std::optional<double> lastOutput_s,
                                              const std::string& solverWords);

}  // namespace leakhunt::cli
