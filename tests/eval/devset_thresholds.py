#!/usr/bin/env python3
"""Fails when newsd falls below the figures it reached on the development sets.

usage: devset_thresholds.py NEWSD

Reads the shared sets at ../shared/eval from the repository root (CI has them
there; the test fails when they are missing) and scores them with the shared
scorers (devsets.py, score.py): Mozilla Readability's pages, fundus's pages,
htmldate's MediaCloud dates, the not-article pages (which must become
not_an_article dead letters) and the Scrapinghub benchmark (shingle F1).
A floor is the figure reached when it was set; raise it when a change lifts
the figure, never lower it to let a change through."""
import gzip
import json
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EVAL = os.path.join(ROOT, "..", "shared", "eval")

# figure: (floor, higher_is_better)
FLOORS = {
    "fundus text_f1": (0.954, True),
    "fundus title": (0.818, True),
    "fundus authors": (0.903, True),
    "fundus date_day": (0.980, True),
    "readability text_f1": (0.956, True),
    "mediacloud date_day": (0.885, True),
    "mediacloud date_null": (0.070, False),
    "not-articles rejected": (1.0, True),
    "scrapinghub f1": (0.979, True),
}


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else 0.0


def fundus(newsd, D):
    base = os.path.join(EVAL, "fundus")
    exp = [json.loads(l) for l in open(os.path.join(base, "expected.jsonl"), encoding="utf-8")]
    files = [os.path.join(base, e["file"]) for e in exp]
    out, _ = D.run_newsd(newsd, files)
    text, title, authors, day = [], [], [], []
    for e, f in zip(exp, files):
        a = out[os.path.abspath(f)] or {}
        text.append(D.bow_f1(a.get("text"), e["text"]))
        if e.get("title"):
            title.append(D.norm(a.get("title")) == D.norm(e["title"]))
        if e.get("authors"):
            authors.append({x.casefold().strip() for x in a.get("authors") or []} ==
                           {x.casefold().strip() for x in e["authors"]})
        if D.day(e.get("published_at")):
            day.append(D.day(a.get("published_at")) == D.day(e["published_at"]))
    return {"fundus text_f1": mean(text), "fundus title": mean(title), "fundus authors": mean(authors),
            "fundus date_day": mean(day)}


def readability(newsd, D):
    base = os.path.join(EVAL, "readability")
    dirs = sorted(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d)))
    files = [os.path.join(base, d, "source.html.gz") for d in dirs]
    out, _ = D.run_newsd(newsd, files)
    text = []
    for d, f in zip(dirs, files):
        meta_p = os.path.join(base, d, "expected-metadata.json")
        meta = json.load(open(meta_p)) if os.path.exists(meta_p) else {}
        exp = os.path.join(base, d, "expected.html.gz")
        if meta.get("readerable") is False or not os.path.exists(exp):
            continue
        gold = D.html_text(gzip.open(exp).read().decode("utf-8", "replace"))
        text.append(D.bow_f1((out[os.path.abspath(f)] or {}).get("text"), gold))
    return {"readability text_f1": mean(text)}


def run_records(newsd, records):
    """Runs newsd over crawler records (so URLs are known); returns ({url: article}, {line: reason})."""
    import subprocess
    tmp = tempfile.mkdtemp()
    rec, dl = os.path.join(tmp, "records.jsonl"), os.path.join(tmp, "dead.jsonl")
    with open(rec, "w", encoding="utf-8") as fh:
        for url, html in records:
            fh.write(json.dumps({"url": url, "html": html, "status": 200}) + "\n")
    r = subprocess.run([newsd, "process", "--workers", "2", "--dead-letter", dl, rec],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode not in (0, 1):
        sys.exit(f"newsd exited {r.returncode}: {r.stderr.decode()[-500:]}")
    got = {}
    for line in r.stdout.decode("utf-8").splitlines():
        if line.strip():
            a = json.loads(line)
            got[a["url"]] = a
    return got


def mediacloud(newsd, D):
    base = os.path.join(EVAL, "dates-mediacloud")
    items = sorted(json.load(open(os.path.join(base, "expected.json"))).items())
    got = run_records(newsd, [(url, gzip.open(os.path.join(base, "pages", v["file"] + ".gz")).read()
                               .decode("utf-8", "replace")) for url, v in items])
    day = [D.day((got.get(url) or {}).get("published_at")) == v["date"] for url, v in items]
    null = [(got.get(url) or {}).get("published_at") is None for url, v in items]
    return {"mediacloud date_day": mean(day), "mediacloud date_null": mean(null)}


def not_articles(newsd, D):
    files = [os.path.join(EVAL, p) for p in json.load(open(os.path.join(EVAL, "not-articles", "list.json")))["not_articles"]]
    out, reasons = D.run_newsd(newsd, files)
    return {"not-articles rejected": mean([out[os.path.abspath(f)] is None and
                                          reasons.get(os.path.abspath(f)) == "not_an_article" for f in files])}


def scrapinghub(newsd, D, S):
    base = os.path.join(EVAL, "scrapinghub")
    gt = json.load(open(os.path.join(base, "ground-truth.json"), encoding="utf-8"))
    files = [os.path.join(base, "html", k + ".html.gz") for k in gt]
    out, _ = D.run_newsd(newsd, files)
    rows = [S.page_counts(v["articleBody"], (out[os.path.abspath(f)] or {}).get("text") or "")
            for (k, v), f in zip(gt.items(), files)]
    return {"scrapinghub f1": S.aggregate(rows)["f1"]}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    newsd = os.path.abspath(sys.argv[1])
    if not os.path.isdir(EVAL):
        sys.exit(f"the shared development sets are required at {EVAL}")
    sys.path.insert(0, EVAL)
    import devsets as D
    import score as S
    figures = {}
    for f in (fundus, readability, mediacloud, not_articles):
        figures.update(f(newsd, D))
    figures.update(scrapinghub(newsd, D, S))
    failed = []
    for name, (floor, higher) in FLOORS.items():
        got = figures[name]
        ok = got >= floor - 1e-9 if higher else got <= floor + 1e-9
        print(f"{name:24s} {got:.4f}  {'>=' if higher else '<='} {floor:.3f}  {'ok' if ok else 'BELOW'}")
        if not ok:
            failed.append(name)
    if failed:
        sys.exit("below the floor: " + ", ".join(failed))


if __name__ == "__main__":
    main()
