#include "verify/residual_run.hpp"

namespace leakhunt::verify {

Result<std::size_t> runResiduals(const model::Station& station, const detect::LoggedEvents& log,
                                 const std::vector<TelemetrySource>& sources, ResidualSink& sink,
                                 detect::DetectionObserver* observer,
                                 detect::DetectorOptions options) {
  telemetry::ChannelTable channels;
  for (const model::Sensor& s : station.sensors) channels.intern(s.channel);
  std::vector<std::string> names;
  for (std::size_t c = 0; c < channels.size(); ++c)
    names.push_back(channels.name(static_cast<int>(c)));
  ResidualTap tap(station, names, log, sink, options, observer);
  std::size_t total = 0;
  for (const TelemetrySource& source : sources) {
    const Result<std::size_t> n =
        source(channels, [&](const telemetry::Sample& s) { tap.onSample(s); });
    if (!n) return n.error();
    total += *n;
  }
  tap.finish();
  return total;
}

}  // namespace leakhunt::verify
