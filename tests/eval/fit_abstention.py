#!/usr/bin/env python3
"""Fits the answer-or-decline decision (Bot.Core/Answers/AbstentionPolicy.cs) offline, by hand; the bot never reads a
gold file.

Input: gold files (JSONL with "answers") and the matching `bot ask --batch FILE --explain` outputs, whose lines carry
"signals". Label: the corpus answers the question (non-empty "answers").

The decision: decline when a name or the question's topic is in no article, when a counting question's best passage
gives no number of the unit asked for, when a "when" question's best passage gives no date or a "who else" question's names no one else, when the words no article contains carry at
least `missing` of the question's weight, or when the best passage covers less than `coverage` of it. The two thresholds
are chosen to decline the most out-of-corpus questions while wrongly declining at most `--budget` of the real ones;
k-fold cross-validation (thresholds chosen on k-1 folds, scored on the held-out fold) estimates how that holds on
unseen questions. Prints the ROC of the coverage threshold and the chosen point.

usage: fit_abstention.py GOLD1,GOLD2 RESULTS1,RESULTS2 [--folds 5] [--budget 0.03]
"""
import json, random, sys

COVERAGE = [round(0.05 * i, 2) for i in range(0, 13)]
MISSING = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8]


def load(golds, results):
    gold = {}
    for f in golds.split(","):
        for line in open(f, encoding="utf-8"):
            g = json.loads(line)
            gold[g["id"]] = g
    rows = []
    for f in results.split(","):
        for line in open(f, encoding="utf-8"):
            r = json.loads(line)
            s = r.get("signals") or {"coverage": 0.0, "missingShare": 1.0, "missingName": False, "missingTopic": False}
            rows.append({"id": r["id"], "y": 1 if gold[r["id"]]["answers"] else 0, **s})
    return rows


def declines(r, cov, miss):
    return r["missingName"] or r["missingTopic"] or r.get("noCount", False) or r.get("noDate", False) or r.get("noOther", False) or r["missingShare"] >= miss or r["coverage"] < cov


def rates(rows, cov, miss):
    pos = [r for r in rows if r["y"] == 1]
    neg = [r for r in rows if r["y"] == 0]
    ooc = sum(declines(r, cov, miss) for r in neg) / max(1, len(neg))
    wrong = sum(declines(r, cov, miss) for r in pos) / max(1, len(pos))
    return ooc, wrong


def choose(rows, budget):
    best = None
    for cov in COVERAGE:
        for miss in MISSING:
            ooc, wrong = rates(rows, cov, miss)
            if wrong <= budget:
                key = (ooc, -wrong, -cov, miss)  # most declined, then fewest wrong, then the mildest thresholds
                if best is None or key > best[0]:
                    best = (key, cov, miss)
    # None within the budget (the vetoes alone decline too many real questions): the mildest thresholds, and say so.
    return (best[1], best[2], True) if best else (0.0, 1.01, False)


def main():
    args = sys.argv[1:]
    folds = int(args[args.index("--folds") + 1]) if "--folds" in args else 5
    budget = float(args[args.index("--budget") + 1]) if "--budget" in args else 0.03
    rows = load(args[0], args[1])
    rnd = random.Random(13)
    order = list(range(len(rows)))
    rnd.shuffle(order)
    fold = {}
    for y in (0, 1):
        for k, i in enumerate([i for i in order if rows[i]["y"] == y]):
            fold[i] = k % folds
    held = {"ooc": 0, "neg": 0, "wrong": 0, "pos": 0}
    for f in range(folds):
        train = [rows[i] for i in range(len(rows)) if fold[i] != f]
        test = [rows[i] for i in range(len(rows)) if fold[i] == f]
        cov, miss, _ = choose(train, budget)
        for r in test:
            d = declines(r, cov, miss)
            if r["y"] == 0:
                held["neg"] += 1
                held["ooc"] += d
            else:
                held["pos"] += 1
                held["wrong"] += d
    npos = sum(r["y"] for r in rows)
    print(f"{npos} in-corpus, {len(rows) - npos} out-of-corpus questions; budget {budget:.0%} wrongly declined")
    print(f"cross-validated ({folds} folds): out-of-corpus declined {held['ooc']}/{held['neg']} = {held['ooc'] / held['neg']:.3f}, "
          f"in-corpus wrongly declined {held['wrong']}/{held['pos']} = {held['wrong'] / held['pos']:.3f}")
    cov, miss, within = choose(rows, budget)
    if within:
        print(f"chosen on all questions: MinCoverage {cov}, MaxMissingShare {miss}")
    else:
        miss = 0.8
        print(f"no thresholds keep wrongly declined within {budget:.0%} (the vetoes alone exceed it); "
              f"ROC below at MaxMissingShare {miss}, as the bot runs")
    print("\nROC of the coverage threshold (vetoes and MaxMissingShare as above):")
    print("| MinCoverage | out-of-corpus declined | in-corpus wrongly declined |")
    print("|---|---|---|")
    for c in COVERAGE:
        ooc, wrong = rates(rows, c, miss)
        mark = " (chosen)" if within and c == cov else ""
        print(f"| {c:.2f}{mark} | {ooc:.3f} | {wrong:.3f} |")
    ooc, wrong = rates(rows, 0, 1.01)  # no missing-share or coverage threshold
    print(f"\nvetoes alone (missing name or topic): {ooc:.3f} declined, {wrong:.3f} wrongly declined")


if __name__ == "__main__":
    main()
