#include "cli/command_error.hpp"

#include <iostream>

namespace leakhunt::cli {

int fail(std::string_view command, std::string_view message, int code) {
  std::cerr << "leakhunt " << command << ": " << message << "\n";
  return code;
}

}  // namespace leakhunt::cli
