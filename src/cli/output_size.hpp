// How much `simulate` will write, known before it writes (issue 21 item 11: `output_period:
// 1e-9 s` once wrote 12.4 GB in a minute with no warning). The estimate counts rows from the
// scenario's duration and the sensors' and output periods, at a typical row length.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "model/scenario.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::cli {

inline constexpr double kDefaultMaxOutput_bytes = 2.0e9;  // "2 GB"

struct OutputEstimate {
  double telemetryRows = 0.0, truthRows = 0.0;
  double bytes = 0.0;
};

OutputEstimate estimateSimulateOutput(const model::Scenario& scenario, bool telemetry, bool truth,
                                      telemetry::Format format);

// "2 GB", "500 MB", "1.5e9", "10 GiB" -> bytes (k, M, G, T are powers of 1000; Ki, Mi, Gi, Ti of
// 1024); an Error names the option, the text and what is allowed.
Result<double> parseByteSize(const std::string& option, const std::string& text);

// "12.4 GB": bytes for a message.
std::string byteText(double bytes);

}  // namespace leakhunt::cli
