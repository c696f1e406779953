#!/usr/bin/python3
"""Accuracy of Headroom's isolation forest vs scikit-learn's on SMD machines (raw features).

Usage: smd_accuracy.py SMD_DIR JAVA_SCORES_DIR SEEDS MACHINE...

For each machine and seed, scikit-learn IsolationForest(n_estimators=100, max_samples=256,
random_state=seed) is fitted on train/<machine>.txt and scores test/<machine>.txt; the Java scores
for the same seed come from SmdScores. Both are scored against test_label/<machine>.txt with the
same metric code: ROC AUC, average precision and the best F1 over all thresholds (point-wise, no
point adjustment). Prints mean and standard deviation over seeds.
"""
import statistics
import sys

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score


def metrics(labels, scores):
    precision, recall, _ = precision_recall_curve(labels, scores)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(denom), where=denom > 0)
    return roc_auc_score(labels, scores), average_precision_score(labels, scores), float(f1.max())


def summary(values):
    return f"{statistics.mean(values):.4f} ± {statistics.stdev(values) if len(values) > 1 else 0.0:.4f}"


def main(smd, java_dir, seeds, machines):
    print(f"{'machine':12s} {'model':8s} {'ROC AUC':>17s} {'avg precision':>17s} {'best F1':>17s}")
    for machine in machines:
        train = np.loadtxt(f"{smd}/train/{machine}.txt", delimiter=",")
        test = np.loadtxt(f"{smd}/test/{machine}.txt", delimiter=",")
        labels = np.loadtxt(f"{smd}/test_label/{machine}.txt", dtype=int)
        results = {"java": [], "sklearn": []}
        for seed in range(seeds):
            java = np.loadtxt(f"{java_dir}/{machine}.seed{seed}.txt")
            results["java"].append(metrics(labels, java))
            forest = IsolationForest(n_estimators=100, max_samples=256, random_state=seed).fit(train)
            results["sklearn"].append(metrics(labels, -forest.score_samples(test)))
        for model, rows in results.items():
            cols = list(zip(*rows))
            print(f"{machine:12s} {model:8s} {summary(cols[0]):>17s} {summary(cols[1]):>17s} {summary(cols[2]):>17s}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:])
