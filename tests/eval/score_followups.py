#!/usr/bin/env python3
"""Scores the two-turn follow-up set (tests/eval/followups.jsonl) with and without carried context.

Each conversation is piped into `bot chat --json` as its first question, its elliptical follow-up and an empty line (a new
conversation). The follow-up's answer is scored: answered (not declined), Hit@1 (the best snippet contains the expected
substring, which is taken from the article) and Hit@3 (one of the top three snippets does). The same is then done with
`--no-context`, where the follow-up is asked on its own.

usage: python3 tests/eval/score_followups.py [--set Key=Value ...] [--bot "dotnet src/Bot.Host/bin/Release/net10.0/bot.dll"] [-v]
"""
import argparse
import json
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(bot, sets, convs, no_context):
    stdin = "".join(f"{c['first']}\n{c['followup']}\n\n" for c in convs)
    cmd = shlex.split(bot) + ["chat", "--json", "--top", "3"] + (["--no-context"] if no_context else [])
    for s in sets:
        cmd += ["--set", s]
    out = subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=True).stdout
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    if len(lines) != 2 * len(convs):
        sys.exit(f"expected {2 * len(convs)} answers, got {len(lines)}")
    return [(lines[2 * i], lines[2 * i + 1]) for i in range(len(convs))]


def score(convs, answers, verbose, label):
    answered = hit1 = hit3 = 0
    for c, (_, a) in zip(convs, answers):
        snippets = [r["snippet"] for r in a["results"]]
        ok = a["answered"]
        h1 = ok and bool(snippets) and c["expected"] in snippets[0]
        h3 = ok and any(c["expected"] in s for s in snippets[:3])
        answered += ok
        hit1 += h1
        hit3 += h3
        if verbose:
            f = a.get("followUp") or {}
            print(f"{label} {c['id']} {'H1' if h1 else 'H3' if h3 else '--'} {'' if ok else 'declined'} searched: {f.get('searchedAs', a['question'])}")
    n = len(convs)
    return answered / n, hit1 / n, hit3 / n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bot", default="dotnet src/Bot.Host/bin/Release/net10.0/bot.dll")
    p.add_argument("--set", action="append", default=[])
    p.add_argument("--file", default=os.path.join(HERE, "followups.jsonl"))
    p.add_argument("-v", "--verbose", action="store_true")
    a = p.parse_args()
    convs = [json.loads(l) for l in open(a.file, encoding="utf-8") if l.strip()]
    print(f"{len(convs)} conversations; follow-up answered / Hit@1 / Hit@3")
    for label, no_context in (("with context", False), ("without context", True)):
        answers = run(a.bot, a.set, convs, no_context)
        ans, h1, h3 = score(convs, answers, a.verbose, label)
        print(f"{label:16} {ans:.3f} / {h1:.3f} / {h3:.3f}")


if __name__ == "__main__":
    main()
