#!/usr/bin/env python3
"""Draws a leakhunt report: report.json in, SVG + PNG figures and one self-contained HTML page out.

    render_report.py REPORT_JSON OUT_DIR

leakhunt writes the data (src/report); matplotlib draws the plots and Graphviz lays out the
station schematics. The page embeds every figure inline, so it opens with no network.
"""
import datetime as dt
import html
import json
import pathlib
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # no display on a server or in CI
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402


def utc(seconds):
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)


def fmt_time(seconds):
    return utc(seconds).strftime("%Y-%m-%d %H:%M UTC")


def values(xs):
    return [float("nan") if x is None else x for x in xs]


def draw_plot(plot, out_dir):
    fig, ax = plt.subplots(figsize=(10, 4.2), dpi=110)
    for s in plot["series"]:
        if not s["time_s"]:
            continue
        t = [utc(x) for x in s["time_s"]]
        line, = ax.plot(t, values(s["y"]), label=s["label"], linewidth=1.4,
                        linestyle="--" if s["dashed"] else "-")
        if s["low"] and s["high"]:
            ax.fill_between(t, values(s["low"]), values(s["high"]), alpha=0.2,
                            color=line.get_color(), linewidth=0)
    for m in plot["markers"]:
        ax.axvline(utc(m["time_s"]), color="0.4", linewidth=0.8, linestyle=":")
        ax.annotate(m["label"], xy=(utc(m["time_s"]), 1.0), xycoords=("data", "axes fraction"),
                    rotation=90, fontsize=7, va="top", ha="right", color="0.3")
    if plot["log_y"]:
        ax.set_yscale("log")
    ax.set_title(plot["title"])
    ax.set_ylabel(plot["y_label"])
    ax.set_xlabel("station time (UTC)")
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(True, alpha=0.3)
    if any(s["label"] for s in plot["series"]):
        ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    for ext in ("svg", "png"):
        fig.savefig(out_dir / f"{plot['id']}.{ext}")
    plt.close(fig)


def draw_schematic(schematic, out_dir):
    for ext in ("svg", "png"):
        subprocess.run(["dot", f"-T{ext}", "-o", str(out_dir / f"{schematic['id']}.{ext}")],
                       input=schematic["dot"].encode(), check=True)


def inline_svg(path):
    text = path.read_text(encoding="utf-8")
    start = text.find("<svg")  # drop the XML prolog and DOCTYPE: not allowed inside HTML
    return text[start:] if start >= 0 else text


def table_html(columns, rows):
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.1em; } .subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
figure { margin: 1em 0 2em; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
td:first-child { white-space: nowrap; }
.stage { font-weight: bold; text-transform: uppercase; font-size: 0.8em; color: #8a1c1c; }
.note { background: #fff8e1; padding: 0.5em 1em; border-left: 4px solid #ffb300; }
"""


def main():
    report_path, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    report = json.loads(report_path.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for plot in report["plots"]:
        draw_plot(plot, out_dir)
    for schematic in report["schematics"]:
        draw_schematic(schematic, out_dir)

    parts = [f"<h1>{html.escape(report['title'])}</h1>",
             f"<p class='subtitle'>{html.escape(report['subtitle'])}</p>"]
    for note in report["notes"]:
        parts.append(f"<p class='note'>{html.escape(note)}</p>")
    for table in report["tables"]:
        parts.append(f"<h2>{html.escape(table['title'])}</h2>")
        parts.append(table_html(table["columns"], table["rows"]))
    parts.append("<h2>Figures</h2>")
    for plot in report["plots"]:
        parts.append(f"<figure id='{html.escape(plot['id'])}'>"
                     f"{inline_svg(out_dir / (plot['id'] + '.svg'))}"
                     f"<figcaption>{html.escape(plot['title'])} ({html.escape(plot['id'])}.svg, "
                     f"{html.escape(plot['id'])}.png)</figcaption></figure>")
    if report["schematics"]:
        parts.append("<h2>Where the leak is: the station at each step</h2>")
    for s in report["schematics"]:
        parts.append(f"<figure id='{html.escape(s['id'])}'>"
                     f"{inline_svg(out_dir / (s['id'] + '.svg'))}"
                     f"<figcaption>{html.escape(s['title'])}</figcaption></figure>")
    parts.append("<h2>Timeline</h2>")
    rows = [(fmt_time(e["time_s"]), e["stage"], e["happened"], e["concluded"])
            for e in report["timeline"]]
    parts.append(table_html(["station time", "stage", "what happened", "what leakhunt concluded"],
                            rows))
    page = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(report['title'])}</title><style>{STYLE}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")
    partial = out_dir / "report.html.partial"
    partial.write_text(page, encoding="utf-8")
    partial.replace(out_dir / "report.html")


if __name__ == "__main__":
    main()
