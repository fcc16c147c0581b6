// Running the leakhunt program from a test: its exit status, stdout and stderr.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace leakhunt::testing {

struct ProgramRun {
  int status = -1;  // exit status; 128 + signal when killed by one
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory for one test, removed by the caller.
inline std::filesystem::path scratchDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("leakhunt-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// `command` runs under /bin/sh in `dir`; stdout and stderr are captured in files there.
inline ProgramRun runShell(const std::string& command, const std::filesystem::path& dir) {
  const std::filesystem::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string full = "cd '" + dir.string() + "' && " + command + " >'" + out.string() +
                           "' 2>'" + err.string() + "' </dev/null";
  const int raw = std::system(full.c_str());
  ProgramRun r;
  if (raw != -1 && WIFEXITED(raw)) r.status = WEXITSTATUS(raw);
  if (raw != -1 && WIFSIGNALED(raw)) r.status = 128 + WTERMSIG(raw);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

inline ProgramRun runLeakhunt(const std::string& args, const std::filesystem::path& dir) {
  return runShell(std::string("'") + LEAKHUNT_BINARY + "' " + args, dir);
}

}  // namespace leakhunt::testing
