#!/usr/bin/python3
"""Accuracy of `headroom score` vs scikit-learn's IsolationForest on SMD machines.

Usage: smd_accuracy.py SMD_DIR SCORES_DIR SEEDS MACHINE...

Reads SCORES_DIR/<machine>.<mode>.seed<k>.csv, written by `headroom score` (mode `raw` with
--raw-features, mode `engineered` with the config's feature engineering), and for the same seeds fits
scikit-learn IsolationForest(n_estimators=100, max_samples=256, random_state=seed) on
train/<machine>.txt and scores test/<machine>.txt. Everything is measured against
test_label/<machine>.txt with the same code: ROC AUC, average precision and the best F1 over all
thresholds (point-wise, no point adjustment).

Rows of the table:
  raw        headroom --raw-features, raw_score (the plain forest; same inputs as scikit-learn)
  eng-forest headroom with engineering, raw_score (the forest alone, before the range guard)
  engineered headroom with engineering, score (0-100, forest and range guard: what the daemon acts on)
  sklearn    scikit-learn on the raw features
Each cell is the median over seeds, then the mean over seeds in brackets; then comes the mean over
machines of those medians and means, and last that mean with its standard error over seeds.
"""
import csv
import statistics
import sys

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

ROWS = [("raw", "raw", "raw_score"), ("eng-forest", "engineered", "raw_score"),
        ("engineered", "engineered", "score"), ("sklearn", None, None)]
METRICS = ("ROC AUC", "avg precision", "best F1")


def metrics(labels, scores):
    precision, recall, _ = precision_recall_curve(labels, scores)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(denom), where=denom > 0)
    return roc_auc_score(labels, scores), average_precision_score(labels, scores), float(f1.max())


def headroom_scores(path, column, n):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != n:
        sys.exit(f"{path}: {len(rows)} rows, the test file has {n}")
    # A row without any data has no score; none of SMD's rows is like that, so this never ranks by a guess.
    return np.array([float(r[column]) if r[column] else np.nan for r in rows])


def cell(values):
    return f"{statistics.median(values):.4f} ({statistics.mean(values):.4f})"


def main(smd, scores_dir, seeds, machines):
    width = 17
    header = f"{'machine':12s} {'model':10s} " + " ".join(f"{m:>{width}s}" for m in METRICS)
    print(header)
    print("-" * len(header))
    summary = {name: {"median": [], "mean": [], "se": []} for name, _, _ in ROWS}
    for machine in machines:
        train = np.loadtxt(f"{smd}/train/{machine}.txt", delimiter=",")
        test = np.loadtxt(f"{smd}/test/{machine}.txt", delimiter=",")
        labels = np.loadtxt(f"{smd}/test_label/{machine}.txt", dtype=int)
        for name, mode, column in ROWS:
            per_seed = []
            for seed in range(seeds):
                if mode is None:
                    forest = IsolationForest(n_estimators=100, max_samples=256, random_state=seed).fit(train)
                    scores = -forest.score_samples(test)
                else:
                    scores = headroom_scores(f"{scores_dir}/{machine}.{mode}.seed{seed}.csv", column, len(labels))
                per_seed.append(metrics(labels, scores))
            cols = list(zip(*per_seed))
            summary[name]["median"].append([statistics.median(c) for c in cols])
            summary[name]["mean"].append([statistics.mean(c) for c in cols])
            summary[name]["se"].append([statistics.stdev(c) / len(c) ** 0.5 if len(c) > 1 else 0.0 for c in cols])
            print(f"{machine:12s} {name:10s} " + " ".join(f"{cell(c):>{width}s}" for c in cols))
    print("-" * len(header))
    for name, _, _ in ROWS:
        med = np.mean(summary[name]["median"], axis=0)
        mean = np.mean(summary[name]["mean"], axis=0)
        print(f"{'mean':12s} {name:10s} " + " ".join(f"{f'{a:.4f} ({b:.4f})':>{width}s}" for a, b in zip(med, mean)))
    print("-" * len(header))
    # Seeds make the forests differ; the standard error says which gaps between two rows are only that.
    for name, _, _ in ROWS:
        mean = np.mean(summary[name]["mean"], axis=0)
        se = np.sqrt(np.sum(np.square(summary[name]["se"]), axis=0)) / len(machines)
        print(f"{'mean ± se':12s} {name:10s} " + " ".join(f"{f'{a:.4f} ± {b:.4f}':>{width}s}" for a, b in zip(mean, se)))
    print(f"\n{seeds} seeds per machine. Per machine and 'mean': median over seeds (mean over seeds);"
          "\n'mean ± se': mean over machines of the means over seeds, and its standard error over seeds.")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:])
