// libFuzzer target: a request target's path, as `serve` maps it to a static file. Whatever the
// bytes, the key is either nothing or a plain relative path: no empty, "." or ".." segment,
// nothing absolute, no backslash or NUL (the class of bug that served /etc/passwd).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/api.hpp"
#include "server/web_root.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const leakhunt::server::Target t = leakhunt::server::parseTarget(target);
  const auto key = leakhunt::server::webPathKey(t.path);
  if (!key) return 0;
  const std::string_view k(*key);
  const bool dotted = k == "." || k == ".." || k.substr(0, 2) == "./" || k.substr(0, 3) == "../" ||
                      k.find("/../") != std::string_view::npos ||
                      k.find("/./") != std::string_view::npos ||
                      (k.size() >= 3 && k.substr(k.size() - 3) == "/..") ||
                      (k.size() >= 2 && k.substr(k.size() - 2) == "/.");
  if (k.empty() || k.front() == '/' || k.find("//") != std::string_view::npos || dotted ||
      k.find('\\') != std::string_view::npos || k.find('\0') != std::string_view::npos)
    std::abort();  // a key that could leave the web root
  return 0;
}
