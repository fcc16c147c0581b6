#include "report/render.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "report/report_json.hpp"

extern char** environ;

namespace leakhunt::report {
namespace {

std::string fromEnvironment(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

// Runs a program to completion; its output goes to ours, so a failing renderer says why.
Result<int> run(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ);
  if (spawned != 0) return Error{"cannot start " + argv[0] + ": " + std::strerror(spawned)};
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return Error{"waiting for " + argv[0] + ": " + std::strerror(errno)};
  if (!WIFEXITED(status))
    return Error{argv[0] + " was killed by signal " +
                 std::to_string(WIFSIGNALED(status) ? WTERMSIG(status) : 0)};
  return WEXITSTATUS(status);
}

}  // namespace

Result<ReportFiles> writeReport(const Report& report, const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Error{"cannot create the report folder " + folder.string() + ": " + ec.message()};

  ReportFiles files;
  files.json = folder / "report.json";
  files.html = folder / "report.html";
  {
    const std::filesystem::path partial = folder / "report.json.partial";
    std::ofstream out(partial);
    out << toJson(report).dump(1) << '\n';
    out.close();
    if (!out) return Error{"cannot write " + partial.string()};
    std::filesystem::rename(partial, files.json, ec);
    if (ec) return Error{"cannot write " + files.json.string() + ": " + ec.message()};
  }

  const std::string python =
      fromEnvironment("LEAKHUNT_PYTHON",
                      std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
  const std::string renderer =
      fromEnvironment("LEAKHUNT_REPORT_RENDERER", LEAKHUNT_REPORT_RENDERER);
  Result<int> status = run({python, renderer, files.json.string(), folder.string()});
  if (!status) return status.error();
  if (*status != 0)
    return Error{"the report renderer (" + renderer + ") failed with status " +
                 std::to_string(*status) + "; report.json is kept in " + folder.string()};

  for (const LinePlot& p : report.plots)
    for (const char* ext : {".svg", ".png"}) files.figures.push_back(folder / (p.id + ext));
  for (const Schematic& s : report.schematics)
    for (const char* ext : {".svg", ".png"}) files.figures.push_back(folder / (s.id + ext));
  for (const std::filesystem::path& f : files.figures)
    if (!std::filesystem::exists(f))
      return Error{"the report renderer did not write " + f.string()};
  if (!std::filesystem::exists(files.html))
    return Error{"the report renderer did not write " + files.html.string()};
  return files;
}

}  // namespace leakhunt::report
