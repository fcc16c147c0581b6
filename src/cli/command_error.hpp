// A subcommand's refusal: one line on stderr, "leakhunt <command>: <message>", and the exit
// status it returns. One helper for every subcommand that words its errors so, instead of a copy
// in each file (the CLI compiles as a unity build, src/cli/CMakeLists.txt, where copies clash).
#pragma once

#include <string_view>

namespace leakhunt::cli {

int fail(std::string_view command, std::string_view message, int code);

}  // namespace leakhunt::cli
