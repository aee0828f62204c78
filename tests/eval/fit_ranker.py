#!/usr/bin/env python3
"""Fits the passage ranker's weights (Bot.Core/Search/PassageRanker.cs) offline; the bot never reads a gold file.

Input: for each question file, the gold file (JSONL with "question" and "answers") and the candidates' features that
`bot ask --batch FILE --set Eval:Features=OUT` appended to OUT (one JSON line per candidate passage, with the question
and the passage text). A candidate is relevant when its text contains one of the question's answers. Questions without
answers (out of corpus) and those with no relevant candidate are left out.

Model: a linear score over the features, fitted by pairwise logistic regression (each relevant passage, at most two per
question, against each of the ten best-ranked irrelevant ones; SGD, L2). Prints the weights, then Hit@1 / Hit@3 of the
passages (not of the snippets, and ignoring declines) on each evaluation group, with the hand-set score
0.4 BM25 + 0.6 coverage + 0.1 cue beside it.

usage: fit_ranker.py --train GOLD=FEATURES[,GOLD=FEATURES...] [--eval NAME:GOLD=FEATURES[,...]]... [--l2 0.01]
       [--epochs 60] [--seed 1]
"""
import argparse, collections, json, math, random, re

FEATURES = ["bm25", "cov", "cue", "win1", "win2", "len", "nounCov", "predCov", "nMatched", "titleCov", "lspans", "ord0"]
WS = re.compile(r"\s+")


def norm(s):
    return WS.sub(" ", s or "").strip()


def load(pairs):
    """[(gold, features)] -> [(candidates, labels)] in the order the bot ranked them (the hand-set or fitted score)."""
    questions = []
    for pair in pairs.split(","):
        gold_path, features_path = pair.split("=", 1)
        gold = {}
        for line in open(gold_path, encoding="utf-8"):
            if line.strip():
                g = json.loads(line)
                gold[g["question"]] = g
        by_question = collections.OrderedDict()
        for line in open(features_path, encoding="utf-8"):
            if line.strip():
                c = json.loads(line)
                by_question.setdefault(c["q"], []).append(c)
        for q, candidates in by_question.items():
            g = gold.get(q)
            if not g or not g.get("answers"):
                continue
            answers = [norm(a) for a in g["answers"]]
            labels = [any(a and a in norm(c["text"]) for a in answers) for c in candidates]
            questions.append((candidates, labels))
    return questions


def hand_set(c):
    return 0.4 * c["bm25"] + 0.6 * c["cov"] + 0.1 * c["cue"]


def hits(questions, score):
    h1 = h3 = 0
    for candidates, labels in questions:
        order = sorted(range(len(candidates)), key=lambda i: -score(candidates[i]))
        h1 += labels[order[0]]
        h3 += any(labels[i] for i in order[:3])
    n = max(1, len(questions))
    return h1 / n, h3 / n


def fit(questions, l2, epochs, seed, lr=0.05):
    random.seed(seed)
    pairs = []
    for candidates, labels in questions:
        ranked = sorted(range(len(candidates)), key=lambda i: -hand_set(candidates[i]))
        pos = [candidates[i] for i in ranked if labels[i]][:2]
        neg = [candidates[i] for i in ranked if not labels[i]][:10]
        for p in pos:
            for n in neg:
                pairs.append([float(p[f]) - float(n[f]) for f in FEATURES])
    w = [0.0] * len(FEATURES)
    for _ in range(epochs):
        random.shuffle(pairs)
        for d in pairs:
            z = sum(wi * di for wi, di in zip(w, d))
            g = 1 / (1 + math.exp(min(30.0, z)))
            for i in range(len(w)):
                w[i] += lr * (g * d[i] - l2 * w[i])
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--eval", action="append", default=[])
    ap.add_argument("--l2", type=float, default=0.01)
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    train = load(args.train)
    w = [round(x, 2) for x in fit(train, args.l2, args.epochs, args.seed)]
    print("weights:", ", ".join(f"{f} {x:+.2f}" for f, x in zip(FEATURES, w)))

    def fitted(c):
        return sum(wi * float(c[f]) for wi, f in zip(w, FEATURES))

    print(f"{'group':12s} {'n':>4s}  hand-set H1/H3  fitted H1/H3")
    for name, questions in [("train", train)] + [(e.split(":", 1)[0], load(e.split(":", 1)[1])) for e in args.eval]:
        b, m = hits(questions, hand_set), hits(questions, fitted)
        print(f"{name:12s} {len(questions):4d}  {b[0]:.3f} / {b[1]:.3f}   {m[0]:.3f} / {m[1]:.3f}")


if __name__ == "__main__":
    main()
