// The limits of a campaign's leak runs under the full noise model (issue 13): the Cramer-Rao
// bound of the rate and the oracle delay from the state-space books' Fisher information
// (detect/full_model_bound.hpp), beside the white-noise figures `summarise` computes from the
// noise the detector learned. The model comes from the station file alone (no data, no truth
// beyond which module leaks and its true rate, which the harness scores with anyway).
#pragma once

#include <vector>

#include "campaign/campaign.hpp"
#include "detect/full_model_bound.hpp"
#include "model/station.hpp"

namespace leakhunt::campaign {

// The bound of a leak in module `leakModule` on the station with its hatches as the file
// declares them (leak runs have no hatch operation), after `warmUp_s` of data, followed for
// `horizon_s`. `whiteOnly` drops every wander (gas temperature, sources, the unseen orbital
// cycle): the bound of the reading noise alone, on the same model.
detect::FullModelBound leakBound(const model::Station& station, int leakModule, double warmUp_s,
                                 double horizon_s, bool whiteOnly = false);

// The data a leak run has before its onset: the reference and, on average, half the onset
// window (the spin-up is not the detector's).
double warmUpOf(const CampaignSpec& spec);

// Sets each size's crbFullSigma_kg_s (root mean square over its runs of the bound at
// checkAfter, each for its leak's module), oracleFullDelay_s (median over its runs, each at
// its true rate at the onset) and the ratios of the spread and the median delay to them.
void addFullModelBounds(const CampaignSpec& spec, const model::Station& station,
                        const std::vector<RunRecord>& runs, CampaignStats& stats);

}  // namespace leakhunt::campaign
