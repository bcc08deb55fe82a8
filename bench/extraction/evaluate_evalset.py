"""Score ``claims.extract`` / ``claims.assess`` against the annotated set in ``evalset.json``.

    python -m bench.extraction.evaluate_evalset [--strict] [--verbose] [--json] [--cache DIR]

Scoring (see the set's "guidelines"):

* Places: extracted mentions are grouped by place key; a gold place matches a key whose mentions
  carry its name (or an "also" spelling; accents, case and articles ignored) with its country code.
  Each key matches at most one gold place. An unmatched required gold place counts against recall,
  an extracted place that matches no gold place (required or optional) against precision.
* Stance / event: per matched required place, the set of stances (events) of its mentions against
  the gold set; accuracy is Σ|gold ∩ found| / Σ|gold ∪ found|, so a missing and an extra stance both
  count as errors.
* Figures: a gold figure is recalled when a mention of its (matched) place carries the same value
  and the same "what" (vague amounts: the same vague phrase). Precision: extracted figures that
  match some gold figure of the report.
* Contested: per group of reports, mentions get their report's outlet and time, are grouped by
  claim key and assessed; a gold contested claim is found when its (place, event) claim is
  contested; any other contested claim of the group is a false positive.

``--strict`` exits 1 when place P or R < 0.95, stance accuracy < 0.9 or figure recall < 0.9.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import claims
from claims import Item, normalise_name

HERE = Path(__file__).resolve().parent
TARGETS = {"place_precision": 0.95, "place_recall": 0.95, "stance_accuracy": 0.9, "figure_recall": 0.9}


def _cache_dir(arg: str | None) -> Path | None:
    if arg:
        return Path(arg)
    if os.environ.get("WIREDESK_CACHE"):
        return Path(os.environ["WIREDESK_CACHE"])
    try:
        from wiredesk.config import cache_dir

        return cache_dir()
    except Exception:  # noqa: BLE001 - the bench runs without the app too
        return None


def load_set(path: Path = HERE / "evalset.json") -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def run_report(report: dict, gazetteer: claims.Gazetteer) -> list[claims.Mention]:
    item = Item(guid=report["id"], title=report["title"], text=report["text"], published=report["published"],
                outlet=report["outlet"])
    return [replace(m, outlet=report["outlet"], published=report["published"]) for m in claims.extract(item, gazetteer)]


def _found_places(mentions) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for m in mentions:
        p = found.setdefault(m.place.key, {"key": m.place.key, "names": set(), "country": m.place.country_code,
                                           "precision": m.precision, "stances": set(), "events": set(),
                                           "figures": [], "mentions": []})
        p["names"].add(normalise_name(m.place.name))
        p["precision"] = min(p["precision"], m.precision)
        p["stances"].add(m.stance)
        p["events"].add(m.event)
        p["figures"].extend(m.numbers)
        p["mentions"].append(m)
    return found


def _gold_names(gold: dict) -> set[str]:
    return {normalise_name(n) for n in [gold["name"], *gold.get("also", [])]}


def match_places(golds: list[dict], found: dict[str, dict]) -> dict[int, str]:
    """gold index → found key; required gold places first, then optional ones."""
    matched: dict[int, str] = {}
    used: set[str] = set()
    order = sorted(range(len(golds)), key=lambda i: golds[i].get("optional", False))
    for i in order:
        names = _gold_names(golds[i])
        for key, p in found.items():
            if key not in used and p["names"] & names and p["country"] == golds[i]["country"]:
                matched[i] = key
                used.add(key)
                break
    return matched


def _figure_matches(gold: dict, figure: claims.Figure) -> bool:
    if gold.get("vague"):
        return figure.value is None and gold["vague"].lower() in figure.raw.lower() and figure.what == gold["what"]
    return figure.value == gold["value"] and figure.what == gold["what"]


def evaluate(data: dict, gazetteer: claims.Gazetteer, verbose: bool = False) -> dict:
    tp = fn = fp = 0
    stance_hit = stance_union = event_hit = event_union = 0
    precision_hit = precision_total = 0
    fig_hit = fig_total = fig_found = fig_found_ok = 0
    by_report: dict[str, list] = {}
    errors: list[str] = []
    for report in data["reports"]:
        mentions = run_report(report, gazetteer)
        by_report[report["id"]] = mentions
        found = _found_places(mentions)
        golds = report["places"]
        matched = match_places(golds, found)
        for i, gold in enumerate(golds):
            if gold.get("optional"):
                continue
            if i not in matched:
                fn += 1
                errors.append(f"{report['id']}: missed {gold['name']} ({gold['country']})")
                continue
            tp += 1
            p = found[matched[i]]
            g_st = {c["stance"] for c in gold["claims"]}
            g_ev = {c["event"] for c in gold["claims"]}
            stance_hit += len(g_st & p["stances"])
            stance_union += len(g_st | p["stances"])
            event_hit += len(g_ev & p["events"])
            event_union += len(g_ev | p["events"])
            precision_total += 1
            precision_hit += p["precision"] == gold["precision"]
            if g_st != p["stances"]:
                errors.append(f"{report['id']}: {gold['name']} stances {sorted(p['stances'])} ≠ gold {sorted(g_st)}")
            if g_ev != p["events"]:
                errors.append(f"{report['id']}: {gold['name']} events {sorted(p['events'])} ≠ gold {sorted(g_ev)}")
            if p["precision"] != gold["precision"]:
                errors.append(f"{report['id']}: {gold['name']} precision {p['precision']} ≠ gold {gold['precision']}")
        used = set(matched.values())
        for key, p in found.items():
            if key not in used:
                fp += 1
                errors.append(f"{report['id']}: extra place {sorted(p['names'])} {p['country']} ({key})")
        # figures
        place_of = {normalise_name(g["name"]): matched.get(i) for i, g in enumerate(golds)}
        for gold in report["figures"]:
            fig_total += 1
            key = place_of.get(normalise_name(gold["place"]))
            if key and any(_figure_matches(gold, f) for f in found[key]["figures"]):
                fig_hit += 1
            else:
                got = [(f.value, f.what) for f in found[key]["figures"]] if key else "place not found"
                errors.append(f"{report['id']}: missed figure {gold.get('value') or gold.get('vague')} "
                              f"{gold['what']} @ {gold['place']} (got {got})")
        distinct = {(f.value, f.what, f.raw) for m in mentions for f in m.numbers}
        for value, what, raw in distinct:
            fig_found += 1
            probe = claims.Figure(value, what, raw=raw)
            if any(_figure_matches(g, probe) for g in report["figures"]):
                fig_found_ok += 1
            else:
                errors.append(f"{report['id']}: extra figure {raw!r} → {value} {what}")

    # contested claims across groups of reports
    c_tp = c_fn = c_fp = 0
    orig_hit = orig_total = 0
    for group in data["contested"]:
        mentions = [m for rid in group["reports"] for m in by_report[rid]]
        by_claim: dict[str, list] = defaultdict(list)
        for m in mentions:
            by_claim[m.claim_key].append(m)
        assessed = {key: claims.assess(ms) for key, ms in by_claim.items()}
        names_of: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            names_of[m.place.key].add(normalise_name(m.place.name))
        gold_positive: set[str] = set()
        for claim in group["claims"]:
            keys = [k for k, names in names_of.items() if normalise_name(claim["place"]) in names]
            key = claims.claim_key(keys[0], claim["event"]) if keys else None
            verdict = assessed.get(key)
            if claim["contested"]:
                if key:
                    gold_positive.add(key)
                if verdict and verdict.contested:
                    c_tp += 1
                else:
                    c_fn += 1
                    errors.append(f"{group['group']}: contested claim not found: {claim['place']} {claim['event']}")
            if "originators" in claim:
                orig_total += 1
                if verdict and verdict.originators == claim["originators"]:
                    orig_hit += 1
                else:
                    errors.append(f"{group['group']}: {claim['place']} {claim['event']} originators "
                                  f"{verdict.originators if verdict else None} ≠ gold {claim['originators']}")
        for key, verdict in assessed.items():
            if verdict.contested and key not in gold_positive:
                c_fp += 1
                errors.append(f"{group['group']}: claim wrongly contested: {key} ({'; '.join(verdict.contest_reasons)})")

    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    scores = {
        "reports": len(data["reports"]),
        "gold_places": tp + fn,
        "place_precision": ratio(tp, tp + fp),
        "place_recall": ratio(tp, tp + fn),
        "stance_accuracy": ratio(stance_hit, stance_union),
        "event_accuracy": ratio(event_hit, event_union),
        "precision_code_accuracy": ratio(precision_hit, precision_total),
        "gold_figures": fig_total,
        "figure_recall": ratio(fig_hit, fig_total),
        "figure_precision": ratio(fig_found_ok, fig_found),
        "contested_precision": ratio(c_tp, c_tp + c_fp),
        "contested_recall": ratio(c_tp, c_tp + c_fn),
        "originator_accuracy": ratio(orig_hit, orig_total),
        "counts": {"place_tp": tp, "place_fn": fn, "place_fp": fp, "contested_tp": c_tp, "contested_fn": c_fn,
                   "contested_fp": c_fp},
    }
    if verbose:
        for line in errors:
            print("  " + line)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 below the targets")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every error")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--cache", help="gazetteer cache directory")
    parser.add_argument("--set", default=str(HERE / "evalset.json"), help="annotated set")
    args = parser.parse_args(argv)
    data = load_set(Path(args.set))
    gazetteer = claims.Gazetteer.load(_cache_dir(args.cache), aliases=data.get("aliases"))
    scores = evaluate(data, gazetteer, verbose=args.verbose)
    if args.json:
        print(json.dumps(scores, indent=2))
    else:
        c = scores["counts"]
        print(f"reports {scores['reports']}, gold places {scores['gold_places']}, gold figures {scores['gold_figures']}")
        print(f"place precision  {scores['place_precision']:.3f}   (extra places: {c['place_fp']})")
        print(f"place recall     {scores['place_recall']:.3f}   (missed places: {c['place_fn']})")
        print(f"stance accuracy  {scores['stance_accuracy']:.3f}")
        print(f"event accuracy   {scores['event_accuracy']:.3f}")
        print(f"precision codes  {scores['precision_code_accuracy']:.3f}")
        print(f"figure recall    {scores['figure_recall']:.3f}   (figure precision {scores['figure_precision']:.3f})")
        print(f"contested P/R    {scores['contested_precision']:.3f} / {scores['contested_recall']:.3f}"
              f"   (tp {c['contested_tp']}, fn {c['contested_fn']}, fp {c['contested_fp']})")
        print(f"originators      {scores['originator_accuracy']:.3f}")
    failed = [name for name, target in TARGETS.items() if scores[name] < target]
    if failed:
        print("below target: " + ", ".join(f"{n} {scores[n]:.3f} < {TARGETS[n]}" for n in failed), file=sys.stderr)
        if args.strict:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
