"""A deterministic benchmark wire: feeds of wire-like reports naming places, figures and sources.

Invented text from templates; the same seed always gives the same files.
"""

from __future__ import annotations

import random
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

PLACES = [
    "Hama", "Idlib", "Aleppo", "Saraqib", "Morek", "Khan Shaykhun", "Homs", "Latakia", "Kharkiv", "Bakhmut",
    "Avdiivka", "Kherson", "El Fasher", "Omdurman", "Nyala", "Goma", "Bunia", "Timbuktu", "Gao", "Mopti",
    "Sittwe", "Lashio", "Taizz", "Marib", "Hodeidah", "Rafah", "Khan Younis", "Jenin",
]
COUNTRIES = {
    "Hama": "Syria", "Idlib": "Syria", "Aleppo": "Syria", "Saraqib": "Syria", "Morek": "Syria",
    "Khan Shaykhun": "Syria", "Homs": "Syria", "Latakia": "Syria", "Kharkiv": "Ukraine", "Bakhmut": "Ukraine",
    "Avdiivka": "Ukraine", "Kherson": "Ukraine", "El Fasher": "Sudan", "Omdurman": "Sudan", "Nyala": "Sudan",
    "Goma": "Congo", "Bunia": "Congo", "Timbuktu": "Mali", "Gao": "Mali", "Mopti": "Mali", "Sittwe": "Myanmar",
    "Lashio": "Myanmar", "Taizz": "Yemen", "Marib": "Yemen", "Hodeidah": "Yemen", "Rafah": "Gaza",
    "Khan Younis": "Gaza", "Jenin": "West Bank",
}
SOURCES = [
    "the defence ministry", "a local official", "the war monitor", "a rebel spokesman", "state media",
    "hospital sources", "the United Nations", "residents", "an army officer", "the regional governor",
]
TEMPLATES = [
    "Rebel fighters entered the northern districts of {place} on {day}, {source} said.",
    "{Source} denied reports that fighters had reached {place}.",
    "At least {n:,} people were killed in fighting around {place}, according to {source}.",
    "Around {n:,} people fled the {place} countryside overnight, {source} said.",
    "Airstrikes hit a market in {place}, killing {m} civilians, {source} reported.",
    "Some media claimed that government troops had withdrawn from {place}.",
    "Reinforcements were moving towards {place} along the main highway, {source} said.",
    "The claim could not be independently verified, and {source} called it false.",
    "Witnesses described heavy shelling near {place} as dusk fell on {day}.",
    "Aid agencies warned that supplies in {place} would run out within days.",
    "The {country} conflict has displaced more than {n:,} people this year, {source} said.",
    "Officials in {place} said schools and clinics had closed and roads were blocked.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def report(rng: random.Random, words: int) -> tuple[str, str]:
    place = rng.choice(PLACES)
    sentences = []
    count = 0
    while count < words:
        p = place if rng.random() < 0.6 else rng.choice(PLACES)
        source = rng.choice(SOURCES)
        s = rng.choice(TEMPLATES).format(
            place=p, day=rng.choice(DAYS), source=source, Source=source[0].upper() + source[1:],
            n=rng.choice([120, 300, 1000, 2000, 20000, 35000]), m=rng.randint(3, 40), country=COUNTRIES[p],
        )
        sentences.append(s)
        count += len(s.split())
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    title = f"Fighting reported near {place} as claims multiply"
    return title, "\n\n".join(paragraphs)


def write_feeds(folder: Path, feeds: int = 40, items: int = 50, words: int = 300, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 11, 20, tzinfo=timezone.utc)
    paths = []
    for f in range(feeds):
        entries = []
        for i in range(items):
            title, text = report(rng, words)
            body = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
            when = format_datetime(start + timedelta(minutes=f * items + i))
            entries.append(
                f"<item><guid>bench-{f}-{i}</guid><title>{escape(title)}</title>"
                f"<link>https://bench{f}.example/{i}</link><pubDate>{when}</pubDate>"
                f"<description>{escape(body)}</description></item>"
            )
        doc = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench Outlet {f}</title>'
               f"<link>https://bench{f}.example/</link><description>bench</description>{''.join(entries)}</channel></rss>")
        path = folder / f"feed-{f:03d}.xml"
        path.write_text(doc, encoding="utf-8")
        paths.append(path)
    return paths


def plain_text(megabytes: float, seed: int = 11) -> str:
    rng = random.Random(seed)
    parts, size = [], 0
    while size < megabytes * 1_000_000:
        title, text = report(rng, 300)
        parts.append(text)
        size += len(text) + 2
    return "\n\n".join(parts)
