// The truth wall (docs/architecture.md): included first by every header that knows the
// simulator's truth (model/scenario.hpp, sim/*.hpp, harness/*.hpp). The estimator-side targets
// are compiled with LEAKHUNT_ESTIMATOR_SIDE, so including any of them from there fails to
// build instead of quietly letting an estimator read a scenario's leaks.
#pragma once

#ifdef LEAKHUNT_ESTIMATOR_SIDE
#error \
    "truth wall: a header that knows the simulator's truth (model/scenario.hpp, sim/, harness/) is included from an estimator-side target; estimators see only telemetry, the station and detect::LoggedEvents (see docs/architecture.md)"
#endif
