// Which Host and Origin headers the server answers. DNS rebinding makes a hostile page's own
// name resolve to 127.0.0.1, so a browser would send it here with `Host: evil.example`: a
// request is answered only when its Host is an IP literal, "localhost" or a name the operator
// allowed (--allowed-host). A browser's WebSocket upgrade also carries Origin, which must be
// this server itself: otherwise any page the operator visits could read the stream.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leakhunt::server {

// `host` is a Host header value: "name", "name:port", "1.2.3.4:port" or "[::1]:port".
bool hostAllowed(std::string_view host, const std::vector<std::string>& allowedNames);

// `origin` is an Origin header value ("http://host:port", or "null"); an absent Origin (a
// client that is not a browser) is allowed: it authenticates with its token alone.
bool originAllowed(std::string_view origin, std::string_view host,
                   const std::vector<std::string>& allowedNames);

}  // namespace leakhunt::server
