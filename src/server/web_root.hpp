// The dashboard's static files, as a manifest read once at start. A request path is never
// joined onto a directory: it is checked as a relative path and looked up in the manifest,
// which holds only regular files whose canonical path (symlinks resolved) lies inside the
// canonical web root. So `//etc/passwd`, `/..%2F`, a planted symlink or the archive's own
// absolute path all map to nothing (docs/server.md, threat model).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace leakhunt::server {

inline constexpr std::size_t kMaxWebPathBytes = 1024;

// The manifest key for a decoded request path: "/" is "index.html"; otherwise the path after
// its single leading '/', if it is a plain relative path (segments of printable ASCII other
// than '\\', none empty, none "." or "..", at most kMaxWebPathBytes). Anything else: nothing.
std::optional<std::string> webPathKey(std::string_view decodedPath);

class WebRoot {
 public:
  WebRoot() = default;
  // Scans `root` (the built dashboard) once. An empty or missing root serves nothing.
  static WebRoot scan(const std::string& root);

  // The file to send for a decoded request path, or nothing (then: 404).
  std::optional<std::filesystem::path> find(std::string_view decodedPath) const;
  std::size_t size() const { return m_files.size(); }

 private:
  std::map<std::string, std::filesystem::path> m_files;  // key -> canonical file
};

}  // namespace leakhunt::server
