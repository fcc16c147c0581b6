// SHA-256 through OpenSSL's EVP interface: the audit chain, batch digests and token hashes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace leakhunt::archive {

using Digest = std::array<unsigned char, 32>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t bytes);
  void update(std::string_view text) { update(text.data(), text.size()); }
  Digest finish();  // and start over

 private:
  struct Context;
  std::unique_ptr<Context> m_context;
};

std::string toHex(const Digest& digest);
std::string sha256Hex(std::string_view text);

// Equal-length comparison whose time does not depend on where the inputs differ
// (OpenSSL's CRYPTO_memcmp), for token hashes.
bool constantTimeEqual(std::string_view a, std::string_view b);

// `bytes` random bytes from OpenSSL's CSPRNG, as lowercase hex.
std::string randomHex(std::size_t bytes);

}  // namespace leakhunt::archive
