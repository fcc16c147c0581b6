// `leakhunt` as a child process for the server tests that need a real process: SIGKILL,
// SIGTERM, a small descriptor limit, the first start's token file. Every wait is bounded.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

namespace leakhunt::test {

struct Child {
  pid_t pid = -1;
  unsigned short port = 0;  // from "listening on http://ADDR:PORT/ ...", 0 if not said
  std::string firstLine;    // of its standard output ("" if it said nothing in time)
  int stderrFd = -1;        // its standard error, when captured
};

// Reads one line from `fd`, waiting at most `within` in all; "" when the writer closed first.
inline std::string readLine(int fd, std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::string line;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return line;
    char ch = 0;
    if (::read(fd, &ch, 1) != 1 || ch == '\n') return line;
    line += ch;
  }
}

// Everything left on `fd` until its writer closes it; closes `fd`.
inline std::string readRest(int fd) {
  std::string text;
  char buf[1024];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, n);
  ::close(fd);
  return text;
}

// Starts LEAKHUNT_BINARY with `args` and waits (at most 60 s) for its first line of output.
// `nofile` > 0 sets the child's descriptor limit.
inline Child spawnLeakhunt(std::vector<std::string> args, bool captureStderr = false,
                           rlim_t nofile = 0) {
  args.insert(args.begin(), LEAKHUNT_BINARY);
  std::vector<char*> argv;  // made before fork: the child only calls async-signal-safe functions
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2], err[2] = {-1, -1};
  if (::pipe(out) != 0 || (captureStderr && ::pipe(err) != 0)) return {};
  Child c;
  c.pid = ::fork();
  if (c.pid == 0) {
    if (nofile > 0) {
      const rlimit r{nofile, nofile};
      ::setrlimit(RLIMIT_NOFILE, &r);
    }
    ::dup2(out[1], 1);
    if (captureStderr) ::dup2(err[1], 2);
    ::close(out[0]);
    if (captureStderr) ::close(err[0]);
    ::execv(LEAKHUNT_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  if (captureStderr) {
    ::close(err[1]);
    c.stderrFd = err[0];
  }
  c.firstLine = readLine(out[0], std::chrono::seconds(60));
  ::close(out[0]);
  const auto colon = c.firstLine.rfind(':');
  if (c.firstLine.find("listening on") != std::string::npos && colon != std::string::npos)
    c.port = static_cast<unsigned short>(std::stoi(c.firstLine.substr(colon + 1)));
  return c;
}

// Sends `signal` and waits for the child; its wait status.
inline int stopChild(const Child& c, int signal = SIGTERM) {
  if (c.pid <= 0) return -1;
  ::kill(c.pid, signal);
  int status = 0;
  ::waitpid(c.pid, &status, 0);
  return status;
}

}  // namespace leakhunt::test
