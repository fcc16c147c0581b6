#include "server/origin_policy.hpp"

#include <boost/asio/ip/address.hpp>
#include <cctype>

namespace leakhunt::server {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The host name of "name[:port]" or "[v6][:port]", lower-case; empty when malformed.
std::string hostName(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return {};
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return {};
    return lower(host.substr(1, close - 1));
  }
  const auto colon = host.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5) return {};
    for (const char c : port)
      if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  }
  return lower(host.substr(0, colon));
}

bool isIpLiteral(const std::string& name) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(name, ec);
  return !ec;
}

}  // namespace

bool hostAllowed(std::string_view host, const std::vector<std::string>& allowedNames) {
  const std::string name = hostName(host);
  if (name.empty()) return false;
  if (name == "localhost" || isIpLiteral(name)) return true;
  for (const std::string& a : allowedNames)
    if (lower(a) == name) return true;
  return false;
}

bool originAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowedNames) {
  if (origin.empty()) return true;
  for (const char* scheme : {"http://", "https://"}) {
    const std::string_view s(scheme);
    if (origin.substr(0, s.size()) != s) continue;
    const std::string_view authority = origin.substr(s.size());
    // Same origin: the page was served by this server under the Host the upgrade names.
    return lower(authority) == lower(host) && hostAllowed(authority, allowedNames);
  }
  return false;  // "null" (a sandboxed frame or a file:// page) or a scheme we do not serve
}

}  // namespace leakhunt::server
