"""Score ``claims.extract`` and ``claims.assess`` against the annotated reports in reports.json.

    python -m bench.extraction.evaluate [--cache DIR] [--verbose] [--strict] [--json] [--set FILE]

Scores (targets from issue 3):
- place precision / recall over (report, place) pairs — a predicted place matches a gold one when
  their names normalise alike (and the country agrees where the gold gives one): P, R ≥ 0.95;
- stance accuracy over gold mentions found (same report, place, and a sentence containing the gold
  snippet): ≥ 0.9; event and precision-code accuracy and attribution agreement are printed beside it;
- figure recall over gold figures (value and what) of found mentions: ≥ 0.9;
- contested detection over the gold claims (place, event) built across all reports with
  ``claims.assess``: accuracy, and precision/recall of the contested flag.

Exit status is 0 unless ``--strict`` is given and a target is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import claims  # noqa: E402
from claims import Item, Mention, normalise_name  # noqa: E402

HERE = Path(__file__).resolve().parent
TARGETS = {"place_precision": 0.95, "place_recall": 0.95, "stance_accuracy": 0.9, "figure_recall": 0.9}


def _name(name: str) -> str:
    return normalise_name(name)


def _place_matches(gold: dict, m: Mention) -> bool:
    if _name(gold["place"]) != _name(m.place.name):
        return False
    return not gold.get("cc") or gold["cc"] == m.place.country_code


def _by_matches(gold: str | None, found: str | None) -> bool:
    if not gold:
        return True
    if not found:
        return False
    a, b = claims.originator(gold) or "", claims.originator(found) or ""
    return a in b or b in a


def evaluate(data: dict, gazetteer: claims.Gazetteer, verbose: bool = False) -> dict:
    place_tp = place_fp = place_fn = 0
    found_mentions = stance_ok = event_ok = precision_ok = by_ok = 0
    gold_mentions = 0
    fig_gold = fig_hit = fig_pred = fig_pred_ok = 0
    problems: list[str] = []
    all_mentions: list[Mention] = []

    for report in data["reports"]:
        item = Item(guid=report["id"], title=report.get("title", ""), text=report["text"],
                    outlet=report["outlet"], published=report["published"])
        predicted = [replace(m, outlet=report["outlet"], published=report["published"])
                     for m in claims.extract(item, gazetteer)]
        all_mentions.extend(predicted)
        gold = report["mentions"]

        # places: sets of (name, country) per report
        gold_places = {(_name(g["place"]), g.get("cc")) for g in gold}
        pred_places = {(_name(m.place.name), m.place.country_code) for m in predicted}
        for name, cc in gold_places:
            if any(n == name and (cc is None or c == cc) for n, c in pred_places):
                place_tp += 1
            else:
                place_fn += 1
                problems.append(f"{report['id']}: missed place {name!r}")
        gold_names = {n for n, _ in gold_places}
        for name, cc in pred_places:
            if name not in gold_names or not any(n == name and (c is None or c == cc) for n, c in gold_places):
                place_fp += 1
                problems.append(f"{report['id']}: spurious place {name!r} ({cc})")

        # mentions: stance, event, precision, attribution, figures
        used: set[int] = set()
        for g in gold:
            gold_mentions += 1
            fig_gold += len(g.get("figures", ()))
            candidates = [(i, m) for i, m in enumerate(predicted) if i not in used and _place_matches(g, m)
                          and g["s"].lower() in m.sentence.lower()]
            if not candidates:
                problems.append(f"{report['id']}: no mention of {g['place']!r} in {g['s']!r}")
                continue
            # prefer the candidate agreeing on event, then stance
            i, m = max(candidates, key=lambda im: (im[1].event == g["event"], im[1].stance == g["stance"]))
            used.add(i)
            found_mentions += 1
            stance_ok += m.stance == g["stance"]
            event_ok += m.event == g["event"]
            precision_ok += m.precision == g.get("precision", m.precision)
            by_ok += _by_matches(g.get("by"), m.attributed_to)
            for label, ok in (("stance", m.stance == g["stance"]), ("event", m.event == g["event"]),
                              ("precision", m.precision == g.get("precision", m.precision)),
                              ("by", _by_matches(g.get("by"), m.attributed_to))):
                if not ok:
                    want = {"stance": g["stance"], "event": g["event"], "precision": g.get("precision"),
                            "by": g.get("by")}[label]
                    got = {"stance": m.stance, "event": m.event, "precision": m.precision,
                           "by": m.attributed_to}[label]
                    problems.append(f"{report['id']}: {g['place']} {label}: want {want!r}, got {got!r}")
            got = [(f.value, f.what) for f in m.numbers]
            for value, what in g.get("figures", ()):
                if (value, what) in got:
                    fig_hit += 1
                else:
                    problems.append(f"{report['id']}: {g['place']} figure {value} {what} not in {got}")
            wanted = {tuple(f) for f in g.get("figures", ())}
            fig_pred += len(got)
            fig_pred_ok += sum(1 for f in got if f in wanted)

    # contested detection over claims across reports
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in all_mentions:
        groups[(_name(m.place.name), m.event)].append(m)
    contested_tp = contested_fp = contested_fn = contested_tn = 0
    for claim in data.get("claims", ()):
        mentions = groups.get((_name(claim["place"]), claim["event"]), [])
        verdict = claims.assess(mentions).contested if mentions else False
        if claim["contested"] and verdict:
            contested_tp += 1
        elif claim["contested"]:
            contested_fn += 1
            problems.append(f"claim {claim['place']}|{claim['event']}: not flagged contested ({claim['why']})")
        elif verdict:
            contested_fp += 1
            problems.append(f"claim {claim['place']}|{claim['event']}: flagged contested, but {claim['why']}")
        else:
            contested_tn += 1

    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    claims_total = contested_tp + contested_fp + contested_fn + contested_tn
    scores = {
        "reports": len(data["reports"]),
        "gold_mentions": gold_mentions,
        "place_precision": ratio(place_tp, place_tp + place_fp),
        "place_recall": ratio(place_tp, place_tp + place_fn),
        "mention_recall": ratio(found_mentions, gold_mentions),
        "stance_accuracy": ratio(stance_ok, found_mentions),
        "event_accuracy": ratio(event_ok, found_mentions),
        "precision_code_accuracy": ratio(precision_ok, found_mentions),
        "attribution_agreement": ratio(by_ok, found_mentions),
        "figure_recall": ratio(fig_hit, fig_gold),
        "figure_precision": ratio(fig_pred_ok, fig_pred),
        "contested_accuracy": ratio(contested_tp + contested_tn, claims_total),
        "contested_precision": ratio(contested_tp, contested_tp + contested_fp),
        "contested_recall": ratio(contested_tp, contested_tp + contested_fn),
        "claims": claims_total,
    }
    if verbose:
        for line in problems:
            print("  " + line)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=HERE / "reports.json", help="annotated reports (JSON)")
    parser.add_argument("--cache", type=Path, default=None, help="gazetteer cache dir (default: a temp dir)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every disagreement with the gold")
    parser.add_argument("--json", action="store_true", help="print scores as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    data = json.loads(args.set.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        gazetteer = claims.Gazetteer.load(args.cache or Path(tmp))
        scores = evaluate(data, gazetteer, verbose=args.verbose)
    missed = [k for k, target in TARGETS.items() if scores[k] < target]
    if args.json:
        print(json.dumps({"scores": scores, "targets": TARGETS, "missed": missed}, indent=2))
    else:
        print(f"{scores['reports']} reports, {scores['gold_mentions']} gold mentions, {scores['claims']} gold claims")
        for key, value in scores.items():
            if isinstance(value, float):
                target = TARGETS.get(key)
                mark = "" if target is None else (f"  (target ≥ {target}: {'ok' if value >= target else 'MISSED'})")
                print(f"  {key:24} {value:.3f}{mark}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
