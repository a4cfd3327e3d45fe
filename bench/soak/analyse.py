#!/usr/bin/python3
"""Reads the soak's samples (CSV: seconds,process,pid,rss_kib,fds,threads[,rss_anon_kib,rss_file_kib,rss_shmem_kib])
and each process's GC log
(LOGDIR/NAME.gc, -Xlog:gc: the heap left after every collection) and writes
  - a Markdown table: per long-lived process, values at the start, the middle and the end, and the slope of
    a least-squares line through the second half of the run (per hour), for the heap after GC, RSS,
    descriptors and threads; where the samples have them, a second table splits RSS into RssAnon and RssFile;
  - an SVG with one panel per measure, one line per process (no plotting library needed).
Usage: analyse.py SAMPLES.csv LOGDIR TABLE.md PLOT.svg [TITLE]
"""
import csv
import os
import re
import sys
from collections import defaultdict

GC_LINE = re.compile(r'^\[(\d+(?:\.\d+)?)s\].*GC\(\d+\).* (\d+)([KMG])->(\d+)([KMG])\(')
UNIT = {'K': 1 / 1024, 'M': 1, 'G': 1024}
MEASURES = [('heap_mib', 'Java heap after each GC (MiB)', 1), ('rss_kib', 'resident memory (MiB)', 1 / 1024), ('fds', 'open descriptors', 1), ('threads', 'threads', 1)]
COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f']


def fit(points):
    """Least-squares slope (per second) and intercept of [(t, v)]."""
    n = len(points)
    if n < 2:
        return 0.0, points[0][1] if points else 0.0
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    slope = sum((t - mt) * (v - mv) for t, v in points) / var if var else 0.0
    return slope, mv - slope * mt


def load(path, logs):
    """process -> measure -> [(seconds, value)]; the heap's seconds are the JVM's uptime (from its GC log)."""
    series = defaultdict(lambda: defaultdict(list))
    with open(path) as f:
        for row in csv.DictReader(f):
            for m, _, scale in MEASURES[1:]:
                series[row['process']][m].append((float(row['seconds']), float(row[m]) * scale))
    for name in series:
        gc = os.path.join(logs, name + '.gc')
        if os.path.exists(gc):
            for line in open(gc):
                g = GC_LINE.match(line)
                if g:
                    series[name]['heap_mib'].append((float(g.group(1)), int(g.group(4)) * UNIT[g.group(5)]))
    return series


def table(series):
    lines = ['| process | heap after GC MiB: 2nd half start / end (max) | heap slope | RSS MiB: start / mid / end (max) '
             '| RSS slope | fds: mid / end (max) | fds slope | threads: mid / end (max) | threads slope |',
             '|---|---|---:|---|---:|---|---:|---|---:|']
    for name, by in series.items():
        cells = [name]
        for m, _, _ in MEASURES:
            pts = by.get(m, [])
            if not pts:
                cells += ['-', '-']
                continue
            second = [(t, v) for t, v in pts if t >= pts[-1][0] / 2]
            slope, _ = fit(second)
            fmt = '%.1f' if m in ('heap_mib', 'rss_kib') else '%.0f'
            unit = ' MiB/h' if m in ('heap_mib', 'rss_kib') else ' /h'
            vals = [v for _, v in pts]
            if m == 'rss_kib':
                cells.append((fmt + ' / ' + fmt + ' / ' + fmt + ' (' + fmt + ')') % (vals[0], second[0][1], vals[-1], max(vals)))
            else:
                cells.append((fmt + ' / ' + fmt + ' (' + fmt + ')') % (second[0][1], vals[-1], max(vals)))
            cells.append(('%+.1f' if m in ('heap_mib', 'rss_kib') else '%+.1f') % (slope * 3600) + unit)
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def svg(series, title):
    w, ph, left, top, gap = 900, 220, 70, 40, 50
    h = top + len(MEASURES) * (ph + gap) + 20 + 18 * ((len(series) + 3) // 4)
    end = max(pts[-1][0] for by in series.values() for pts in by.values() if pts) or 1
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
           % (w, h), '<rect width="100%%" height="100%%" fill="white"/>',
           '<text x="%d" y="22" font-size="15">%s</text>' % (left, title)]
    pw = w - left - 30
    for k, (m, label, scale) in enumerate(MEASURES):
        y0 = top + k * (ph + gap)
        vmax = max([v for by in series.values() for _, v in by.get(m, [])] or [1]) * 1.1
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>' % (left, y0, pw, ph))
        out.append('<text x="%d" y="%d">%s</text>' % (left, y0 - 6, label))
        for i in range(5):
            v = vmax * i / 4
            y = y0 + ph - ph * i / 4
            out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#eee"/>' % (left, left + pw, y, y))
            out.append('<text x="%d" y="%.1f" text-anchor="end">%.0f</text>' % (left - 5, y + 4, v))
        for i in range(7):
            x = left + pw * i / 6
            out.append('<text x="%.1f" y="%d" text-anchor="middle">%.0f</text>' % (x, y0 + ph + 15, end * i / 6 / 60))
        out.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#bbb" stroke-dasharray="4 3"/>'
                   % (left + pw / 2, left + pw / 2, y0, y0 + ph))
        for c, (name, by) in enumerate(series.items()):
            path = ' '.join('%.1f,%.1f' % (left + pw * min(t, end) / end, y0 + ph - ph * v / vmax) for t, v in by.get(m, []))
            out.append('<polyline fill="none" stroke-width="1.5" stroke="%s" points="%s"/>'
                       % (COLOURS[c % len(COLOURS)], path))
    y = top + len(MEASURES) * (ph + gap) - 10
    out.append('<text x="%d" y="%d">minutes (the heap: since its JVM started); dashed line: the second half starts, '
               'where the slopes are fitted</text>' % (left, y))
    for c, name in enumerate(series):
        x, yy = left + (c % 4) * 200, y + 20 + 18 * (c // 4)
        out.append('<rect x="%d" y="%d" width="14" height="4" fill="%s"/>' % (x, yy - 5, COLOURS[c % len(COLOURS)]))
        out.append('<text x="%d" y="%d">%s</text>' % (x + 20, yy, name))
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def split_table(path):
    """RSS split as /proc/PID/status gives it (samples with rss_anon_kib/rss_file_kib columns; '' for older ones):
    anonymous memory (heap, malloc, stacks, direct buffers) and mapped files, each with its second-half slope."""
    series = defaultdict(lambda: defaultdict(list))
    with open(path) as f:
        for row in csv.DictReader(f):
            for m in ('rss_anon_kib', 'rss_file_kib'):
                if row.get(m):
                    series[row['process']][m].append((float(row['seconds']), float(row[m]) / 1024))
    if not series:
        return ''
    lines = ['', '| process | RssAnon MiB: start / mid / end (max) | RssAnon slope | RssFile MiB: start / mid / end (max) '
             '| RssFile slope |', '|---|---|---:|---|---:|']
    for name, by in series.items():
        cells = [name]
        for m in ('rss_anon_kib', 'rss_file_kib'):
            pts = by[m]
            second = [(t, v) for t, v in pts if t >= pts[-1][0] / 2]
            slope, _ = fit(second)
            vals = [v for _, v in pts]
            cells.append('%.1f / %.1f / %.1f (%.1f)' % (vals[0], second[0][1], vals[-1], max(vals)))
            cells.append('%+.1f MiB/h' % (slope * 3600))
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def main():
    samples, logs, table_path, svg_path = sys.argv[1:5]
    title = sys.argv[5] if len(sys.argv) > 5 else 'kadtorrent soak'
    series = load(samples, logs)
    open(table_path, 'w').write(table(series) + split_table(samples))
    open(svg_path, 'w').write(svg(series, title))


if __name__ == '__main__':
    main()
