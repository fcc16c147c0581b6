// Compiled only by the truth_wall_include_sim test, as an estimator-side target would be: the
// simulator's headers must refuse it too, not only model/scenario.hpp.
#include "sim/scenario_runner.hpp"

int main() { return 0; }
