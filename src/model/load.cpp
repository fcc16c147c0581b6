#include "model/load.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include "model/parsers.hpp"
#include "model/station_lints.hpp"

namespace leakhunt::model {
namespace {

// A description is a few hundred lines; anything far larger is a mistake (or /dev/zero).
constexpr std::uintmax_t kMaxFileBytes = 8u << 20;

SourceLocation markAt(const std::string& file, const YAML::Mark& mark) {
  SourceLocation where{file, 0, 0};
  if (mark.line >= 0 && mark.column >= 0) {
    where.line = mark.line + 1;
    where.column = mark.column + 1;
  }
  return where;
}

// Sees only where documents start.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  std::vector<YAML::Mark> starts;
};

// Where a second document starts, if there is one. Not YAML::LoadAll: in yaml-cpp 0.7 it can
// loop forever, allocating, on stray punctuation such as ", a: 1" (jbeder/yaml-cpp#1040,
// fixed upstream by #1319). Asking for at most two documents cannot loop.
std::optional<YAML::Mark> secondDocument(yaml::Reader& r, const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts handler;
  try {
    for (int n = 0; n < 2 && parser.HandleNextDocument(handler);) ++n;
  } catch (const YAML::Exception& e) {
    r.report(markAt(r.file(), e.mark), Diagnostic::Error, "YAML syntax: " + e.msg);
    return std::nullopt;
  }
  if (handler.starts.size() < 2) return std::nullopt;
  return handler.starts[1];
}

// Anything but blank lines, comments and document markers.
bool hasContent(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos) {
      line.remove_prefix(first);
      if (line.front() != '#' && line.substr(0, 3) != "---" && line.substr(0, 3) != "...") {
        return true;
      }
    }
    pos = end + 1;
  }
  return false;
}

bool hasKey(const YAML::Node& map, std::string_view key) {
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) return true;
  }
  return false;
}

bool isScenario(const YAML::Node& doc) {
  return doc.IsMap() && (hasKey(doc, "station") || hasKey(doc, "events"));
}

// Messages in reading order: each file together (in the order files were first mentioned),
// by line and column.
void sortByPlace(std::vector<Diagnostic>& diagnostics) {
  std::unordered_map<std::string, std::size_t> fileOrder;
  for (const auto& d : diagnostics) fileOrder.emplace(d.where.file, fileOrder.size());
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     const auto fa = fileOrder.at(a.where.file), fb = fileOrder.at(b.where.file);
                     if (fa != fb) return fa < fb;
                     if (a.where.line != b.where.line) return a.where.line < b.where.line;
                     return a.where.column < b.where.column;
                   });
}

CheckReport check(const std::string& text, const std::string& fileName, const std::string& baseDir,
                  std::optional<FileKind> forced) {
  CheckReport report;
  yaml::Reader r(fileName, report.diagnostics);
  Station station;
  Scenario scenario;
  // yaml-cpp reports misuse by throwing; whatever slips past the readers is still only a
  // problem with this file, never a reason for `check` to die.
  try {
    const auto doc = yaml::readDocument(r, text);
    report.kind = forced.value_or(doc && isScenario(*doc) ? FileKind::Scenario : FileKind::Station);
    if (doc && report.kind == FileKind::Scenario) {
      yaml::readScenario(r, *doc, baseDir, scenario);
    } else if (doc) {
      yaml::readStation(r, *doc, station);
    }
  } catch (const YAML::Exception& e) {
    r.report(markAt(fileName, e.mark), Diagnostic::Error, e.msg);
  } catch (const std::exception& e) {
    r.report({fileName, 0, 0}, Diagnostic::Error, std::string("cannot read: ") + e.what());
  }
  sortByPlace(report.diagnostics);
  if (report.errorCount() == 0) {
    if (report.kind == FileKind::Scenario) {
      report.station = scenario.station;
      report.scenario = std::move(scenario);
    } else {
      report.station = std::move(station);
    }
  }
  return report;
}

Error errorOf(const CheckReport& report) {
  std::string message;
  for (const auto& d : report.diagnostics) {
    if (d.severity != Diagnostic::Error) continue;
    if (!message.empty()) message += '\n';
    message += format(d);
  }
  return Error{message};
}

std::string parentDir(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

}  // namespace

int CheckReport::errorCount() const {
  return static_cast<int>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const auto& d) {
    return d.severity == Diagnostic::Error;
  }));
}

int CheckReport::warningCount() const {
  return static_cast<int>(diagnostics.size()) - errorCount();
}

std::string format(const Diagnostic& d) {
  std::string out = d.where.file;
  if (d.where.line > 0) {
    out += ':' + std::to_string(d.where.line) + ':' + std::to_string(d.where.column);
  }
  out += d.severity == Diagnostic::Error ? ": error: " : ": warning: ";
  out += d.message;
  return out;
}

namespace yaml {

std::optional<YAML::Node> readDocument(Reader& r, const std::string& text,
                                       std::string_view expected) {
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    r.report(markAt(r.file(), e.mark), Diagnostic::Error,
             "YAML nesting is too deep (" + std::to_string(e.depth()) + " levels)");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    r.report(markAt(r.file(), e.mark), Diagnostic::Error, "YAML syntax: " + e.msg);
    return std::nullopt;
  }
  if (doc.IsNull()) {
    r.report({r.file(), 1, 1}, Diagnostic::Error,
             hasContent(text) ? "YAML syntax: no document could be read from this file"
                              : "file is empty; expected " + std::string(expected));
    return std::nullopt;
  }
  if (const auto second = secondDocument(r, text)) {
    r.report(markAt(r.file(), *second), Diagnostic::Error,
             "a second YAML document starts here; a description is one document");
  }
  if (!doc.IsMap()) {
    r.error(doc, std::string("expected a mapping (key: value) at the top level, found ") +
                     (doc.IsSequence() ? "a list" : "a single value"));
    return std::nullopt;
  }
  return doc;
}

Result<std::string> readTextFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return Error{"cannot read '" + path + "': no such file"};
  if (fs::is_directory(status)) return Error{"cannot read '" + path + "': it is a directory"};
  if (!fs::is_regular_file(status)) return Error{"cannot read '" + path + "': not a regular file"};
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    return Error{"'" + path + "' is " + std::to_string(size) + " bytes; a description over " +
                 std::to_string(kMaxFileBytes) + " bytes is refused"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read '" + path + "': " + std::strerror(errno)};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{"cannot read '" + path + "': " + std::strerror(errno)};
  return text;
}

}  // namespace yaml

Result<Station> parseStation(const std::string& yamlText, const std::string& fileName) {
  auto report = check(yamlText, fileName, parentDir(fileName), FileKind::Station);
  if (!report.station) return errorOf(report);
  return std::move(*report.station);
}

Result<Scenario> parseScenario(const std::string& yamlText, const std::string& fileName,
                               const std::string& baseDir) {
  auto report = check(yamlText, fileName, baseDir, FileKind::Scenario);
  if (!report.scenario) return errorOf(report);
  for (Diagnostic& d : report.diagnostics)
    if (d.severity == Diagnostic::Warning) report.scenario->warnings.push_back(std::move(d));
  return std::move(*report.scenario);
}

Result<Station> loadStation(const std::string& path) {
  auto text = yaml::readTextFile(path);
  if (!text) return Error{path + ": error: " + text.error().message};
  return parseStation(*text, path);
}

Result<Scenario> loadScenario(const std::string& path) {
  auto text = yaml::readTextFile(path);
  if (!text) return Error{path + ": error: " + text.error().message};
  return parseScenario(*text, path, parentDir(path));
}

FileKind detectKind(const std::string& yamlText) {
  try {
    const YAML::Node doc = YAML::Load(yamlText);
    return isScenario(doc) ? FileKind::Scenario : FileKind::Station;
  } catch (const std::exception&) {
    return FileKind::Station;
  }
}

CheckReport checkText(const std::string& yamlText, const std::string& fileName,
                      const std::string& baseDir) {
  CheckReport report = check(yamlText, fileName, baseDir, std::nullopt);
  // A valid station may still fail its crew or be unwatchable: warnings, never errors.
  if (report.station) {
    for (Diagnostic& d : lintStation(*report.station)) report.diagnostics.push_back(std::move(d));
    sortByPlace(report.diagnostics);
  }
  return report;
}

CheckReport checkDescription(const std::string& path) {
  auto text = yaml::readTextFile(path);
  if (!text) {
    CheckReport report;
    report.diagnostics.push_back({{path, 0, 0}, Diagnostic::Error, text.error().message});
    return report;
  }
  return checkText(*text, path, parentDir(path));
}

std::vector<Diagnostic> checkFile(const std::string& path) {
  return checkDescription(path).diagnostics;
}

}  // namespace leakhunt::model
