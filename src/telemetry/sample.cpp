#include "telemetry/sample.hpp"

namespace leakhunt::telemetry {

int ChannelTable::intern(const std::string& name) {
  const auto [it, inserted] = m_index.try_emplace(name, static_cast<int>(m_names.size()));
  if (inserted) m_names.push_back(name);
  return it->second;
}

int ChannelTable::find(const std::string& name) const {
  const auto it = m_index.find(name);
  return it == m_index.end() ? -1 : it->second;
}

}  // namespace leakhunt::telemetry
