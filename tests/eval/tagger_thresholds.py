#!/usr/bin/env python3
"""Fails when the tag stage falls below the F1 it reached on the entity
development sets.

usage: tagger_thresholds.py NEWSD

Runs scripts/eval-tagger --no-model (the whole stage on IL-NER Hindi dev,
HiNER, MultiCoNER II Hindi dev, UNER English PUD and EWT dev, BTC dev, WNUT-17 dev and
tests/data/ner-en; sets under ../shared/eval/ner, which CI has) and checks
the F1 of all types per set. A floor is the figure reached when it was set;
raise it when a change lifts the figure, never lower it to let a change
through."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FLOORS = {
    "il-ner-dev": 0.742,
    "hiner": 0.656,
    "multiconer": 0.336,
    "uner-pud": 0.619,
    "uner-ewt": 0.650,
    "btc": 0.673,
    "wnut17": 0.479,
    "news-en": 0.780,
}


def main():
    out = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "eval-tagger"), "--no-model",
                          "--newsd", sys.argv[1], "--sets", ",".join(FLOORS)],
                         capture_output=True, text=True, check=True).stdout
    print(out, end="")
    got = {}
    for line in out.splitlines():
        cols = line.split()
        if len(cols) >= 3 and cols[0] in FLOORS and cols[1] == "stage":
            got[cols[0]] = float(cols[-2].split("/")[2])  # ALL P/R/F1, then (gold)
    failed = False
    for name, floor in FLOORS.items():
        if name not in got:
            print("FAIL %s: no figure" % name)
            failed = True
        elif got[name] < floor:
            print("FAIL %s: F1 %.3f below its floor %.3f" % (name, got[name], floor))
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
