// A report is what leakhunt concluded, laid out for people: a timeline, tables and figures.
// These are plain values; the demo fills them and `writeReport` draws them (render.hpp).
#pragma once

#include <string>
#include <vector>

namespace leakhunt::report {

// One curve of a line plot. Times are Unix seconds; `low`/`high` (same length as `t`, or
// empty) draw a band, e.g. the 95 % interval of an estimate.
struct Series {
  std::string label;
  std::vector<double> t, y, low, high;
  bool dashed = false;  // e.g. the truth beside an estimate
};

// A vertical line at an event (hatch closed, patch, repress).
struct Marker {
  double t = 0.0;
  std::string label;
};

struct LinePlot {
  std::string id;  // file name stem: "pressures" -> pressures.svg, pressures.png
  std::string title;
  std::string yLabel;  // with its unit: "pressure [mmHg]"
  std::vector<Series> series;
  std::vector<Marker> markers;
  bool logY = false;
};

// The station drawn from its description (schematic.hpp), one per localisation step.
struct Schematic {
  std::string id;
  std::string title;
  std::string dot;  // Graphviz DOT text
};

struct Table {
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

struct TimelineEntry {
  double t = 0.0;         // station time, Unix seconds
  std::string stage;      // "leak", "detect", "locate", "repair", "verify", "trend", ...
  std::string happened;   // what happened
  std::string concluded;  // what leakhunt concluded, with units
};

struct Report {
  std::string title;
  std::string subtitle;
  std::vector<TimelineEntry> timeline;
  std::vector<Table> tables;
  std::vector<LinePlot> plots;
  std::vector<Schematic> schematics;
  std::vector<std::string> notes;  // honest remarks: what leakhunt could not do on this run
};

}  // namespace leakhunt::report
