#!/usr/bin/python3
"""scikit-learn side of the Headroom isolation-forest benchmark.

Subcommands:
  make-data PATH ROWS FEATURES SEED   write seeded N(0,1) rows as little-endian float64, row-major
  bench PATH ROWS FEATURES RUNS       fit + score_samples timings of IsolationForest(100 trees, 256 samples)
  compare JAVA_JSON SKLEARN_JSON      print both sides' medians and the ratios

The data file is shared with the Java side so both time the very same rows.
Output of `bench` is one JSON object on stdout (seconds); the shell script compares it with Java's.
"""
import json
import statistics
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest


def make_data(path, rows, features, seed):
    rng = np.random.default_rng(seed)
    rng.standard_normal((rows, features)).astype("<f8").tofile(path)


def bench(path, rows, features, runs):
    x = np.fromfile(path, dtype="<f8").reshape(rows, features)
    fit_s, score_s = [], []
    checksum = 0.0
    for run in range(runs):
        forest = IsolationForest(n_estimators=100, max_samples=256, random_state=run)
        t0 = time.perf_counter()
        forest.fit(x)
        t1 = time.perf_counter()
        scores = forest.score_samples(x)
        t2 = time.perf_counter()
        fit_s.append(t1 - t0)
        score_s.append(t2 - t1)
        # score_samples returns the negated Liu et al. score; report it positive like the Java side.
        checksum = float(-scores.mean())
        print(f"sklearn run {run}: fit {t1 - t0:.3f}s score_samples {t2 - t1:.3f}s", file=sys.stderr)
    print(json.dumps({
        "rows": rows, "features": features, "runs": runs,
        "fit_median_s": statistics.median(fit_s),
        "score_median_s": statistics.median(score_s),
        "fit_s": fit_s, "score_s": score_s,
        "mean_score_last_run": checksum,
    }))


def compare(java_path, sklearn_path):
    with open(java_path) as f:
        java = json.load(f)
    with open(sklearn_path) as f:
        sk = json.load(f)
    rows = java["rows"]
    print(f"{rows:,} x {java['features']} rows, 100 trees x 256 samples, medians of {java['runs']} runs")
    walk = "unchecked walk" if java.get("unchecked_walk") else "bounds-checked walk"
    print(f"  java scoring: {walk}")
    print(f"  fit            java {java['fit_median_s']:8.4f}s   sklearn {sk['fit_median_s']:8.4f}s"
          f"   sklearn/java {sk['fit_median_s'] / java['fit_median_s']:7.1f}x")
    print(f"  fit + OOB calibration (what IsolationForestTrainer adds)  java {java['oob_calibration_median_s'] + java['fit_median_s']:8.4f}s")
    for key, label in (("score_1thread_median_s", "1 thread"), ("score_nthreads_median_s", f"{java['threads']} threads")):
        t = java[key]
        print(f"  score {label:9s} java {t:8.4f}s ({rows / t / 1e6:6.2f} M rows/s)   sklearn score_samples"
              f" {sk['score_median_s']:8.4f}s ({rows / sk['score_median_s'] / 1e6:6.3f} M rows/s)"
              f"   throughput java/sklearn {sk['score_median_s'] / t:6.1f}x")
    print(f"  mean score: java {java['mean_score_last_run']:.5f}  sklearn {sk['mean_score_last_run']:.5f}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make-data":
        make_data(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "compare":
        compare(sys.argv[2], sys.argv[3])
    elif cmd == "bench":
        bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(f"unknown command {cmd}")
