#include "server/hub.hpp"

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
  for (auto& [subscriber, channels] : targets) {
    std::string frame;
    std::size_t n = 0;
    for (const Published& p : telemetry)
      if (channels.count(*p.channel)) {
        frame += n++ ? "," : "{\"type\":\"telemetry\",\"data\":[";
        frame += p.json;
      }
    if (n) {
      frame += "]}";
      subscriber->offer(std::make_shared<const std::string>(std::move(frame)), n);
    }
    if (!events.empty() && channels.count(derived::kEvents)) {
      std::string ev = "{\"type\":\"events\",\"data\":[";
      for (std::size_t i = 0; i < events.size(); ++i) ev += (i ? "," : "") + events[i].json;
      ev += "]}";
      subscriber->offer(std::make_shared<const std::string>(std::move(ev)), events.size());
    }
  }
}

}  // namespace leakhunt::server
