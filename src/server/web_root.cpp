#include "server/web_root.hpp"

#include <system_error>

namespace leakhunt::server {

namespace fs = std::filesystem;

std::optional<std::string> webPathKey(std::string_view path) {
  if (path == "/") return std::string("index.html");
  if (path.size() < 2 || path.size() > kMaxWebPathBytes || path[0] != '/') return std::nullopt;
  std::string_view rest = path.substr(1);
  for (std::size_t start = 0; start <= rest.size();) {
    const std::size_t slash = std::min(rest.find('/', start), rest.size());
    const std::string_view segment = rest.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return std::nullopt;
    for (const char c : segment) {
      const auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7F || c == '\\' || c == ':' || c == '%') return std::nullopt;
    }
    start = slash + 1;
  }
  return std::string(rest);
}

WebRoot WebRoot::scan(const std::string& root) {
  WebRoot w;
  if (root.empty()) return w;
  std::error_code ec;
  const fs::path base = fs::canonical(root, ec);
  if (ec || !fs::is_directory(base, ec)) return w;
  // Symlinked directories are not followed; a symlinked file is kept only if it resolves
  // inside the root (the build may link a file, never a hostile user's target).
  fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code e;
    if (!it->is_regular_file(e)) continue;
    const fs::path real = fs::canonical(it->path(), e);
    if (e || !fs::is_regular_file(real, e)) continue;
    const fs::path inside = real.lexically_relative(base);
    if (inside.empty() || *inside.begin() == "..") continue;
    const std::string key = it->path().lexically_relative(base).generic_string();
    if (webPathKey("/" + key) == key) w.m_files.emplace(key, real);
  }
  return w;
}

std::optional<fs::path> WebRoot::find(std::string_view decodedPath) const {
  const std::optional<std::string> key = webPathKey(decodedPath);
  if (!key) return std::nullopt;
  const auto it = m_files.find(*key);
  if (it == m_files.end()) return std::nullopt;
  return it->second;
}

}  // namespace leakhunt::server
