// Writes a report to a folder: report.json (the figures' data), one SVG and one PNG per plot
// and schematic, and report.html, a single page with every figure inline that needs no
// network to view. matplotlib draws the plots and Graphviz lays out the schematics
// (render_report.py); this side only hands them the data and checks what came back.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "report/report.hpp"

namespace leakhunt::report {

struct ReportFiles {
  std::filesystem::path html;
  std::filesystem::path json;
  std::vector<std::filesystem::path> figures;  // SVG and PNG, in the report's order
};

// The renderer is found by $LEAKHUNT_REPORT_RENDERER, else the one in the source tree this
// program was built from; Python by $LEAKHUNT_PYTHON, else Debian's /usr/bin/python3.
Result<ReportFiles> writeReport(const Report& report, const std::filesystem::path& folder);

}  // namespace leakhunt::report
