#!/usr/bin/python3
"""Fits the passage ranker's boosted trees (Bot.Core/Search/Resources/RankerTrees.json) offline; the bot never reads a gold file.

Input as for fit_ranker.py: for each question file, the gold file (JSONL with "question" and "answers") and the
candidates' features that `bot ask --batch FILE --set Eval:Features=OUT` appended to OUT. A candidate is relevant when
its text contains one of the question's answers; questions without answers (out of corpus) are left out.

Each candidate is described by its fourteen features (PassageRanker.FeatureNames), the same fourteen less their best
value among the question's candidates (how far it is from the best on each), and its BM25 rank / 20. Write the
features with the trees off (`--set Eval:Disable=trees`) when the feature set changed, since the shipped trees must match
it to load. A gradient-boosted tree
classifier (scikit-learn's HistGradientBoostingClassifier, Debian package python3-sklearn; no early stopping, so the fit
is deterministic) learns P(relevant); the bot orders candidates by the trees' summed log-odds. The trees are written as
JSON: per tree, in preorder (a split's left child is the next node), the arrays of each node's feature (-1 for a leaf),
threshold (go left when value <= threshold), left and right child and leaf value.

Prints Hit@1 / Hit@3 of the passages (not of the snippets, ignoring declines) per evaluation group, for the trees and for
the linear weights (fit_ranker.py's) beside them, and a grouped cross-validation over the training files with --cv.

usage: fit_trees.py --train GOLD=FEATURES[,...] [--eval NAME:GOLD=FEATURES[,...]]... [--out FILE] [--cv 5]
       [--trees 400] [--depth 6] [--leaves 31] [--min-leaf 40] [--rate 0.08]
"""
import argparse, collections, json, re

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

FEATURES = ["bm25", "cov", "cue", "win1", "win2", "len", "nounCov", "predCov", "nMatched", "titleCov", "lspans", "ord0", "who", "why"]
NAMES = FEATURES + [f + "-best" for f in FEATURES] + ["rank"]
# PassageRanker's linear weights, for comparison
LINEAR = dict(bm25=1.87, cov=0.91, cue=0.40, win1=0.82, win2=0.86, len=-0.30, nounCov=0.73, predCov=0.18, nMatched=0.82,
              titleCov=0.18, lspans=0.78, ord0=-0.45)
WS = re.compile(r"\s+")


def norm(s):
    return WS.sub(" ", s or "").strip()


def vectors(candidates):
    """The candidates' feature rows, in BM25 order (the order the bot logs them)."""
    raw = np.array([[float(c.get(f, 0)) for f in FEATURES] for c in candidates])
    rank = np.array([[c.get("pos", i) / 20.0] for i, c in enumerate(candidates)])
    return np.hstack([raw, raw - raw.max(axis=0), rank])


def load(pairs):
    """{file: [(rows, labels)]}, one entry per answerable question (rows empty when it had no candidate)."""
    files = collections.OrderedDict()
    for pair in pairs.split(","):
        gold_path, features_path = pair.split("=", 1)
        gold = collections.OrderedDict()
        for line in open(gold_path, encoding="utf-8"):
            if line.strip():
                g = json.loads(line)
                if g.get("answers"):
                    gold[g["question"]] = g
        by_question = collections.defaultdict(list)
        for line in open(features_path, encoding="utf-8"):
            if line.strip():
                c = json.loads(line)
                by_question[c["q"]].append(c)
        questions = []
        for q, g in gold.items():
            candidates = by_question.get(q, [])
            answers = [norm(a) for a in g["answers"]]
            labels = np.array([any(a and a in norm(c["text"]) for a in answers) for c in candidates], dtype=float)
            questions.append((vectors(candidates) if candidates else np.zeros((0, len(NAMES))), labels))
        files[gold_path] = questions
    return files


def hits(questions, score):
    h1 = h3 = 0
    for rows, labels in questions:
        if len(labels):
            order = np.argsort(-score(rows), kind="stable")
            h1 += labels[order[0]] > 0
            h3 += labels[order[:3]].max() > 0
    n = max(len(questions), 1)
    return h1 / n, h3 / n


def fit(questions, args):
    rows = np.vstack([r for r, l in questions if len(l)])
    labels = np.concatenate([l for r, l in questions if len(l)])
    model = HistGradientBoostingClassifier(
        max_iter=args.trees, max_depth=args.depth, max_leaf_nodes=args.leaves, min_samples_leaf=args.min_leaf,
        learning_rate=args.rate, l2_regularization=1.0, early_stopping=False, random_state=1)
    return model.fit(rows, labels)


def export(model):
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append({
            "f": [-1 if n["is_leaf"] else int(n["feature_idx"]) for n in nodes],
            "t": [0 if n["is_leaf"] else float(f"{n['num_threshold']:.10g}") for n in nodes],
            "l": [int(n["left"]) for n in nodes],
            "r": [int(n["right"]) for n in nodes],
            "v": [float(f"{n['value']:.8g}") if n["is_leaf"] else 0 for n in nodes],
        })
    return {"features": NAMES, "baseline": float(np.ravel(model._baseline_prediction)[0]), "trees": trees}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--eval", action="append", default=[])
    ap.add_argument("--out")
    ap.add_argument("--cv", type=int, default=0)
    ap.add_argument("--trees", type=int, default=400)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--leaves", type=int, default=31)
    ap.add_argument("--min-leaf", type=int, default=40)
    ap.add_argument("--rate", type=float, default=0.08)
    args = ap.parse_args()

    train = load(args.train)
    linear = np.array([LINEAR.get(f, 0.0) for f in FEATURES] + [0.0] * (len(NAMES) - len(FEATURES)))
    print(f"{'group':12s} {'n':>4s}  linear H1/H3   trees H1/H3")
    if args.cv:
        names = list(train)
        scored = {"linear": [0, 0], "trees": [0, 0]}
        n = 0
        for k in range(args.cv):
            held = set(names[k::args.cv])
            model = fit([q for f in names if f not in held for q in train[f]], args)
            test = [q for f in names if f in held for q in train[f]]
            for name, score in (("linear", lambda r: r @ linear), ("trees", lambda r: model.predict_proba(r)[:, 1])):
                h = hits(test, score)
                scored[name][0] += h[0] * len(test)
                scored[name][1] += h[1] * len(test)
            n += len(test)
        print(f"{'cv':12s} {n:4d}  {scored['linear'][0] / n:.3f} / {scored['linear'][1] / n:.3f}   "
              f"{scored['trees'][0] / n:.3f} / {scored['trees'][1] / n:.3f}")

    all_train = [q for qs in train.values() for q in qs]
    model = fit(all_train, args)
    groups = [("train", all_train)] + [(e.split(":", 1)[0], [q for qs in load(e.split(":", 1)[1]).values() for q in qs]) for e in args.eval]
    for name, questions in groups:
        a = hits(questions, lambda r: r @ linear)
        b = hits(questions, lambda r: model.predict_proba(r)[:, 1])
        print(f"{name:12s} {len(questions):4d}  {a[0]:.3f} / {a[1]:.3f}   {b[0]:.3f} / {b[1]:.3f}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump(export(model), out, separators=(",", ":"))
            out.write("\n")


if __name__ == "__main__":
    main()
