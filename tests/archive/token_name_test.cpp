// Token names become actors in the audit log: they may not pass for the server or carry
// characters that change how a log line reads, whether they come from a tokens file or from
// POST /api/tokens.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "server/access.hpp"
#include "server/request_parsing.hpp"

namespace leakhunt::server {
namespace {

TEST(TokenName, plain_names_are_accepted) {
  for (const std::string& name : {std::string("flight"), std::string("ada.l-2_x"),
                                  std::string("CAPCOM"), std::string(64, 'a')})
    EXPECT_TRUE(checkTokenName(name)) << name;
}

TEST(TokenName, names_the_server_writes_itself_are_refused_in_any_case) {
  for (const char* name : {"detector", "Detector", "simulator", "scenario", "server", "SYSTEM"}) {
    const auto r = checkTokenName(name);
    ASSERT_FALSE(r) << name;
    EXPECT_NE(r.error().message.find("reserved"), std::string::npos) << r.error().message;
  }
}

TEST(TokenName, newlines_spaces_and_other_characters_are_refused) {
  for (const std::string& name : {std::string("a\nb"), std::string("a b"), std::string("a\0b", 3),
                                  std::string("caf\xc3\xa9"), std::string("\"ada\"")})
    EXPECT_FALSE(checkTokenName(name)) << name;
  EXPECT_FALSE(checkTokenName(""));
  EXPECT_FALSE(checkTokenName(std::string(65, 'a')));
}

TEST(TokenName, the_token_request_refuses_reserved_and_multiline_names) {
  EXPECT_FALSE(parseTokenRequest(R"({"name":"detector","role":"viewer"})"));
  const auto newline = parseTokenRequest(R"({"name":"a\nb","role":"admin"})");
  ASSERT_FALSE(newline);
  EXPECT_NE(newline.error().message.find("\"name\""), std::string::npos) << newline.error().message;
  const auto ok = parseTokenRequest(R"({"name":"flight","role":"operator"})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->name, "flight");
}

TEST(TokenName, the_tokens_file_refuses_a_reserved_name_at_its_line) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("leakhunt-tokens-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(file) << "# control room\n"
                         "viewer victor viewer-token-0123456789\n"
                         "admin detector admin-token-0123456789ab\n";
  const auto r = readTokensFile(file.string());
  std::filesystem::remove(file);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(file.string() + ":3: "), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("reserved"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace leakhunt::server
