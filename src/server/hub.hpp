// Realtime fan-out. The ingest thread publishes each committed batch once; every subscriber
// gets one frame with the datums of the channels it subscribed to. Subscribers queue frames
// themselves, bounded, and never block the publisher: a full queue drops the frame and the
// subscriber later tells its client how many datums it missed (WsSession).
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace leakhunt::server {

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Called on the ingest thread; must not block. `datums` counts what the frame carries.
  virtual void offer(std::shared_ptr<const std::string> frame, std::size_t datums) = 0;
};

// One datum ready to send: its channel (or "leakhunt.events") and its JSON text.
struct Published {
  const std::string* channel;
  std::string json;
};

class Hub {
 public:
  void subscribe(const std::shared_ptr<Subscriber>& s, const std::string& channel);
  void unsubscribe(Subscriber* s, const std::string& channel);
  void remove(Subscriber* s);
  std::size_t subscriberCount() const;
  // Whether anyone listens to `channel`: datums nobody wants are never formatted.
  bool wanted(const std::string& channel) const;

  // Frames: {"type":"telemetry","data":[datum,...]} and {"type":"events","data":[event,...]}.
  void publish(const std::vector<Published>& telemetry, const std::vector<Published>& events);

 private:
  struct Entry {
    std::weak_ptr<Subscriber> subscriber;
    std::set<std::string> channels;
  };
  mutable std::mutex m_mutex;
  std::unordered_map<Subscriber*, Entry> m_entries;
  std::unordered_map<std::string, int> m_listeners;  // channel -> subscriptions
};

}  // namespace leakhunt::server
