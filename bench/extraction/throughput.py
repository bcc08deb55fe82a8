"""Throughput of ``claims.extract`` on generated wire-like text, after the gazetteer is loaded.

    python -m bench.extraction.throughput [--megabytes 2] [--rounds 3] [--cache DIR] [--json]

Text comes from templates (seeded, so every run measures the same bytes): sentences naming real
and invented places, sources, figures, denials, background sentences without places, datelines and
organisation names — the mix a conflict desk sees. Prints MB/s of plain text per core (CPU time of one process, median of rounds).
Also prints the gazetteer's cold (index build) and warm (cache file) load times.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import claims  # noqa: E402

TARGET_MB_S = 3.0

PLACES = {
    "Syria": ["Hama", "Aleppo", "Idlib", "Saraqib", "Morek", "Khan Shaykhun", "Maarat al-Numan", "Tal Rifaat",
              "Deir ez-Zor", "Manbij"],
    "Sudan": ["El Fasher", "Nyala", "Omdurman", "Wad Madani", "El Geneina", "Babanusa", "Kadugli"],
    "Ukraine": ["Kharkiv", "Pokrovsk", "Kupiansk", "Vovchansk", "Toretsk", "Chasiv Yar", "Zaporizhzhia"],
    "Mali": ["Kidal", "Gao", "Timbuktu", "Menaka", "Tessalit"],
    "Myanmar": ["Lashio", "Sittwe", "Myawaddy", "Hpakant", "Mandalay"],
    "Democratic Republic of Congo": ["Goma", "Bunia", "Sake", "Rutshuru", "Bukavu", "Uvira"],
}
SOURCES = ["the defence ministry", "a local official", "the war monitor", "a rebel spokesman", "state media",
           "hospital sources", "the United Nations", "residents", "an army officer", "the regional governor",
           "the Syrian Observatory for Human Rights", "medics at the main hospital"]
TEMPLATES = [
    "Rebel fighters entered the northern districts of {place} on {day}, {source} said.",
    "{Source} denied reports that fighters had reached {place}, calling them baseless.",
    "At least {n:,} people were killed in fighting around {place}, according to {source}.",
    "Around {n:,} people fled the {place} countryside overnight, {source} said.",
    "Airstrikes hit a market in {place}, killing {m} civilians, {source} reported.",
    "Some media claimed that government troops had withdrawn from {place}.",
    "Reinforcements were moving towards {place} along the main highway, {source} said.",
    "The claim could not be independently verified. This was denied minutes later.",
    "Witnesses described heavy shelling near {place} as dusk fell on {day}.",
    "Aid agencies warned that supplies would run out within days, and prices had tripled since {year}.",
    "The conflict in {country} has displaced more than {n:,} people this year, {source} said.",
    "Officials said schools and clinics had closed and roads were blocked at {hour} a.m.",
    "Fighters seized the town of {invented} after a night of clashes, opposition channels claimed.",
    "Dozens of families were sheltering near the {invented} airbase, {source} told the agency.",
    "\"We will not allow the city to fall,\" Gen. {person} told reporters in {place} on Jan. {m}.",
    "The U.S. State Department said it was following events closely and urged restraint.",
    "Mobile phone networks were down across much of the region, making verification difficult.",
    "Hundreds of displaced people reached {place} province, where camps are already full.",
    "Two million people need food aid, the World Food Programme said in a statement on {day}.",
    "{PLACE} (Wire Desk) — Drone strikes struck fuel depots on the outskirts of {place} overnight.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
INVENTED = ["Kessa", "Valdora", "Tal Hamra", "Umm Sayala", "Kafr Dunya", "Ouro Sani", "Nyamitaba"]
PERSONS = ["Hassan Tarif", "Ali Mahmoud", "Oleh Sydorenko", "Moussa Traore", "Aung Kyaw"]


def wire_text(megabytes: float, seed: int = 7) -> list[str]:
    """Reports (~300–600 words each) totalling about ``megabytes`` of UTF-8."""
    rng = random.Random(seed)
    reports: list[str] = []
    size = 0
    while size < megabytes * 1e6:
        country = rng.choice(sorted(PLACES))
        sentences = []
        for _ in range(rng.randint(15, 30)):
            place = rng.choice(PLACES[country])
            source = rng.choice(SOURCES)
            sentences.append(rng.choice(TEMPLATES).format(
                place=place, PLACE=place.upper(), day=rng.choice(DAYS), source=source,
                Source=source[0].upper() + source[1:], n=rng.choice([120, 300, 1000, 2000, 20000, 35000]),
                m=rng.randint(3, 40), country=country, invented=rng.choice(INVENTED), person=rng.choice(PERSONS),
                year=rng.choice([2011, 2019, 2023]), hour=rng.randint(1, 11),
            ))
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        text = "\n\n".join(paragraphs)
        reports.append(text)
        size += len(text.encode())
    return reports


def cold_and_warm_load(cache: Path) -> tuple[float, float]:
    """Index build into an empty cache dir, then a load from it — each in a fresh process."""
    code = ("import sys, time, pathlib; sys.path.insert(0, %r); t = time.perf_counter(); import claims; "
            "claims.Gazetteer.load(pathlib.Path(sys.argv[1])); print(time.perf_counter() - t)") % str(ROOT)
    times = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code, str(cache)], check=True, capture_output=True, text=True)
        times.append(float(out.stdout.strip()))
    return times[0], times[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=None, help="gazetteer cache dir (default: a temp dir)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--strict", action="store_true", help=f"exit 1 under {TARGET_MB_S} MB/s")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp)
        cold, warm = cold_and_warm_load(Path(tmp) / "fresh") if args.cache is None else (float("nan"), float("nan"))
        gazetteer = claims.Gazetteer.load(cache)
        reports = wire_text(args.megabytes)
        items = [claims.Item(str(i), "", text) for i, text in enumerate(reports)]
        size = sum(len(text.encode()) for text in reports) / 1e6
        timings, mentions = [], 0
        for _ in range(args.rounds):
            # CPU time of this process: "per core", and steady when other processes share the machine.
            start = time.process_time()
            mentions = sum(len(claims.extract(item, gazetteer)) for item in items)
            timings.append(time.process_time() - start)
    seconds = statistics.median(timings)
    rate = size / seconds
    result = {"megabytes": round(size, 3), "seconds": round(seconds, 3), "mb_per_s": round(rate, 2),
              "mentions": mentions, "items": len(items), "gazetteer_build_s": round(cold, 2),
              "gazetteer_cached_load_s": round(warm, 3), "target_mb_per_s": TARGET_MB_S}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"extract(): {size:.2f} MB in {seconds:.2f} s = {rate:.2f} MB/s on one core "
              f"(target ≥ {TARGET_MB_S}); {len(items)} items, {mentions} mentions")
        if cold == cold:
            print(f"gazetteer: first build {cold:.2f} s, load from cache {warm:.3f} s (both incl. import)")
    return 1 if args.strict and rate < TARGET_MB_S else 0


if __name__ == "__main__":
    sys.exit(main())
