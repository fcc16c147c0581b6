// The server's live connections: how many there are (a cap, so idle sockets cannot take every
// file descriptor), and which WebSocket sessions belong to which token holder, so that
// replacing a token closes the sessions opened with the old one.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace leakhunt::server {

class Connections {
 public:
  explicit Connections(std::size_t max) : m_max(max) {}

  // A connection slot, held for as long as the connection lives; empty when the cap is reached.
  class Slot {
   public:
    Slot() = default;
    explicit Slot(Connections* owner) : m_owner(owner) {}
    Slot(Slot&& o) noexcept : m_owner(o.m_owner) { o.m_owner = nullptr; }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot() {
      if (m_owner) m_owner->m_open.fetch_sub(1);
    }
    explicit operator bool() const { return m_owner != nullptr; }

   private:
    Connections* m_owner = nullptr;
  };
  Slot take();
  std::size_t open() const { return m_open.load(); }
  std::size_t max() const { return m_max; }

  // A WebSocket session held by `name`; `close` is called (once) when that name's token is
  // replaced. The registration ends when the returned handle is destroyed.
  using Registration = std::shared_ptr<void>;
  Registration registerSession(const std::string& name, std::function<void()> close);
  void revoke(const std::string& name);  // closes every session of `name`

 private:
  struct Entry {
    std::string name;
    std::function<void()> close;
    std::weak_ptr<void> alive;
  };
  const std::size_t m_max;
  std::atomic<std::size_t> m_open{0};
  std::mutex m_mutex;
  std::vector<Entry> m_sessions;
};

}  // namespace leakhunt::server
