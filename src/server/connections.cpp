#include "server/connections.hpp"

#include <algorithm>

namespace leakhunt::server {

Connections::Slot Connections::take() {
  std::size_t n = m_open.load();
  do {
    if (n >= m_max) return Slot();
  } while (!m_open.compare_exchange_weak(n, n + 1));
  return Slot(this);
}

Connections::Registration Connections::registerSession(const std::string& name,
                                                       std::function<void()> close) {
  auto handle = std::make_shared<int>(0);
  std::lock_guard lock(m_mutex);
  // Drop the entries of sessions that have ended, so the list stays as long as the live ones.
  m_sessions.erase(std::remove_if(m_sessions.begin(), m_sessions.end(),
                                  [](const Entry& e) { return e.alive.expired(); }),
                   m_sessions.end());
  m_sessions.push_back({name, std::move(close), handle});
  return handle;
}

void Connections::revoke(const std::string& name) {
  std::vector<std::function<void()>> toClose;
  {
    std::lock_guard lock(m_mutex);
    for (Entry& e : m_sessions)
      if (e.name == name && !e.alive.expired()) toClose.push_back(std::move(e.close));
    m_sessions.erase(std::remove_if(m_sessions.begin(), m_sessions.end(),
                                    [&](const Entry& e) { return e.name == name; }),
                     m_sessions.end());
  }
  for (auto& close : toClose) close();  // outside the lock: close posts to the session
}

}  // namespace leakhunt::server
