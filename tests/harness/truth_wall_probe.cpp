// Compiled only by the truth_wall_include test, as an estimator-side target would be
// (LEAKHUNT_ESTIMATOR_SIDE): including the scenario (the truth) must fail to build with the
// truth wall's message. If this file ever compiles, the wall is gone.
#include "model/scenario.hpp"

int main() { return 0; }
