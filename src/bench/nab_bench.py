#!/usr/bin/env python3
"""Helpers for nab-dev.sh (standard library only).

  nab_bench.py openmetrics DATA_DIR OUT.om   every series as nab_value{series="<cat>/<file>"}, plus a plan on stdout:
                                              one line per series: series step_seconds from_unix to_unix
  nab_bench.py results DATA_CSV STEP BACKTEST_CSV OUT_CSV
                                              NAB's result file: one row per data row, anomaly_score = score / 100

Time mapping. Prometheus answers a query at grid point g with the newest sample at or before g, so a data row at
ts is first seen at g = ceil(ts / step) * step. The backtest row at t scores the grid point t - step (the live
cycle's newest row is one step back), so the row's score is the backtest row at g + step. Rows before NAB's
probationary end (min(floor(0.15 n), 750)) and rows without a score get 0.
"""
import csv
import datetime as dt
import math
import os
import statistics
import sys


def parse_ts(s):
    return dt.datetime.fromisoformat(s).replace(tzinfo=dt.timezone.utc).timestamp()


def read_series(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [parse_ts(r["timestamp"]) for r in rows], [float(r["value"]) for r in rows]


def probation(n):
    return min(int(math.floor(0.15 * n)), int(0.15 * 5000))


def step_of(ts):
    """The file's typical spacing: the median gap, as a whole number of minutes (NAB files are 5m, 10m or 1h)."""
    gaps = [b - a for a, b in zip(ts, ts[1:]) if b > a]
    return max(60, int(round(statistics.median(gaps) / 60.0)) * 60)


def grid_after(ts, step):
    return int(math.ceil(ts / step)) * step


def series_files(data_dir):
    for cat in sorted(os.listdir(data_dir)):
        d = os.path.join(data_dir, cat)
        if os.path.isdir(d):
            for f in sorted(os.listdir(d)):
                if f.endswith(".csv"):
                    yield cat + "/" + f, os.path.join(d, f)


def openmetrics(data_dir, out):
    with open(out, "w") as o:
        o.write("# TYPE nab_value gauge\n")
        for name, path in series_files(data_dir):
            ts, vals = read_series(path)
            # A few files repeat a timestamp; a TSDB holds one sample per instant, so the last one stands
            # (it is also the one a live scrape would have left).
            last = {}
            for t, v in zip(ts, vals):
                last[t] = v
            for t in sorted(last):
                o.write('nab_value{series="%s"} %r %d\n' % (name, last[t], int(t)))
            step = step_of(ts)
            p = probation(len(ts))
            first = grid_after(ts[p], step) + step
            end = grid_after(ts[-1], step) + step
            print(name, step, first, end)
        o.write("# EOF\n")


def results(data_csv, step, backtest_csv, out_csv):
    step = int(step)
    ts, _ = read_series(data_csv)
    scores = {}
    with open(backtest_csv, newline="") as f:
        for r in csv.DictReader(f):
            if r["score"] != "":
                scores[int(parse_ts(r["timestamp"].replace("Z", "")))] = float(r["score"]) / 100.0
    p = probation(len(ts))
    missing = 0
    os.makedirs(os.path.dirname(out_csv), exist_ok=True)
    with open(out_csv, "w", newline="") as o:
        w = csv.writer(o)
        w.writerow(["timestamp", "value", "anomaly_score"])
        with open(data_csv, newline="") as f:
            for i, r in enumerate(csv.DictReader(f)):
                s = 0.0
                if i >= p:
                    key = grid_after(ts[i], step) + step
                    if key in scores:
                        s = min(1.0, max(0.0, scores[key]))
                    else:
                        missing += 1
                w.writerow([r["timestamp"], r["value"], "%.6f" % s])
    print("%s: %d rows, %d scored rows without a score" % (out_csv, len(ts), missing), file=sys.stderr)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"openmetrics": openmetrics, "results": results}[cmd](*args)
