#include "server/hub.hpp"

#include <map>

#include "server/catalog.hpp"

namespace leakhunt::server {

void Hub::subscribe(const std::shared_ptr<Subscriber>& s, const std::string& channel) {
  std::lock_guard lock(m_mutex);
  Entry& e = m_entries[s.get()];
  e.subscriber = s;
  if (e.channels.insert(channel).second) ++m_listeners[channel];
}

void Hub::unsubscribe(Subscriber* s, const std::string& channel) {
  std::lock_guard lock(m_mutex);
  const auto it = m_entries.find(s);
  if (it != m_entries.end() && it->second.channels.erase(channel)) --m_listeners[channel];
}

void Hub::remove(Subscriber* s) {
  std::lock_guard lock(m_mutex);
  const auto it = m_entries.find(s);
  if (it == m_entries.end()) return;
  for (const std::string& c : it->second.channels) --m_listeners[c];
  m_entries.erase(it);
}

bool Hub::wanted(const std::string& channel) const {
  std::lock_guard lock(m_mutex);
  const auto it = m_listeners.find(channel);
  return it != m_listeners.end() && it->second > 0;
}

std::size_t Hub::subscriberCount() const {
  std::lock_guard lock(m_mutex);
  return m_entries.size();
}

void Hub::publish(const std::vector<Published>& telemetry, const std::vector<Published>& events) {
  std::vector<std::pair<std::shared_ptr<Subscriber>, std::set<std::string>>> targets;
  {
    std::lock_guard lock(m_mutex);
    for (auto& [key, e] : m_entries)
      if (auto s = e.subscriber.lock(); s && !e.channels.empty())
        targets.emplace_back(std::move(s), e.channels);
  }
  // Subscribers of the same channels share one frame: fifty dashboards on the same plot cost
  // one frame's formatting, not fifty.
  struct Frames {
    std::shared_ptr<const std::string> telemetry, events;
    std::size_t datums = 0;
  };
  std::map<std::set<std::string>, Frames> made;
  std::shared_ptr<const std::string> eventFrame;
  if (!events.empty()) {
    std::string ev = "{\"type\":\"events\",\"data\":[";
    for (std::size_t i = 0; i < events.size(); ++i) ev += (i ? "," : "") + events[i].json;
    ev += "]}";
    eventFrame = std::make_shared<const std::string>(std::move(ev));
  }
  for (auto& [subscriber, channels] : targets) {
    auto [at, isNew] = made.try_emplace(channels);
    Frames& f = at->second;
    if (isNew) {
      std::string frame;
      for (const Published& p : telemetry)
        if (channels.count(*p.channel)) {
          frame += f.datums++ ? "," : "{\"type\":\"telemetry\",\"data\":[";
          frame += p.json;
        }
      if (f.datums) {
        frame += "]}";
        f.telemetry = std::make_shared<const std::string>(std::move(frame));
      }
      if (eventFrame && channels.count(derived::kEvents)) f.events = eventFrame;
    }
    if (f.telemetry) subscriber->offer(f.telemetry, f.datums);
    if (f.events) subscriber->offer(f.events, events.size());
  }
}

}  // namespace leakhunt::server
