"""The digest in every format on a fixed database: golden files, escaping, and a real browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.export.fixture import HOSTILE, build
from wiredesk.cli import cli
from wiredesk.export import DigestError, build_digest, parse_duration, render_digest, write_digest

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 11, 21, 23, 0, tzinfo=timezone.utc)
REGENERATE = os.environ.get("WIREDESK_REGENERATE_GOLDEN") == "1"


@pytest.fixture
def store(tmp_path, monkeypatch):
    s = build(tmp_path / "desk.db", monkeypatch)
    yield s
    s.close()


@pytest.mark.parametrize("fmt,suffix", [("md", "md"), ("html", "html"), ("json", "json"), ("claimreview", "jsonld")])
def test_golden(store, fmt, suffix):
    """Set WIREDESK_REGENERATE_GOLDEN=1 to rewrite the goldens after an intended change; review the diff."""
    text = render_digest(store, fmt, now=NOW)
    golden = GOLDEN / f"digest.{suffix}"
    if REGENERATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_model_groups_verified_and_disputed_with_evidence(store):
    d = build_digest(store, now=NOW)
    assert [dc.claim.place.name for dc in d.verified] == ["Hama", "Saraqib"]
    assert [dc.claim.place.name for dc in d.disputed] == ["Morek"]
    morek = d.disputed[0]
    assert {e.mention.stance for e in morek.evidence} == {"asserts", "reports", "denies"}
    hama = d.verified[0]
    assert [r.values for r in hama.claim.figures] == [(300, 1000)]
    assert d.editors["ana"] == {"disputed": 1, "verified": 1} and d.editors["ben"] == {"verified": 1}
    assert (d.items, d.items_read) == (5, 0)


def test_since_limits_the_period(store):
    assert build_digest(store, since=timedelta(hours=1), now=NOW + timedelta(days=3)).verified == ()
    assert len(build_digest(store, since=timedelta(days=2), now=NOW).verified) == 2


def test_json_contract(store):
    doc = json.loads(render_digest(store, "json", now=NOW))
    assert set(doc) >= {"generated", "period", "claims"}
    for claim in doc["claims"]:
        assert set(claim) >= {"id", "place", "summary", "status", "event", "figures", "mentions", "verdicts"}
    cli_ids = {c["id"] for card in json.loads(CliRunner().invoke(cli, ["--db", str(store.path), "claims", "--json"]).output)
               for c in card["claims"]}
    assert {c["id"] for c in doc["claims"]} <= cli_ids


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def test_feed_text_is_inert_in_every_format(store):
    page = render_digest(store, "html", now=NOW)
    parsed = Tags()
    parsed.feed(page)
    assert not {"script", "iframe", "img", "object", "embed"} & set(parsed.tags)
    assert not [name for name, _ in parsed.attrs if name.startswith("on")]
    hrefs = [value for name, value in parsed.attrs if name in ("href", "src")]
    assert hrefs and all(v.startswith(("http://", "https://")) for v in hrefs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = render_digest(store, "md", now=NOW)
    assert "<script>" not in md and "](javascript" not in md and "\\[link\\]" in md
    review = json.loads(render_digest(store, "claimreview", now=NOW))
    assert all("javascript" not in json.dumps(r["itemReviewed"]["appearance"]) for r in review)


def test_claimreview_ratings(store):
    reviews = json.loads(render_digest(store, "claimreview", now=NOW))
    names = sorted(r["reviewRating"]["alternateName"] for r in reviews)
    assert names == ["Disputed", "Verified", "Verified"]
    assert all(r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org" for r in reviews)


def test_write_is_atomic_and_errors_are_one_line(store, tmp_path):
    target = tmp_path / "digest.html"
    target.write_text("old")
    write_digest(store, "html", target, now=NOW)
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".digest")] == []
    with pytest.raises(DigestError, match="is a directory"):
        write_digest(store, "md", tmp_path)
    with pytest.raises(DigestError, match="expected a duration"):
        parse_duration("soon")
    assert parse_duration("90m") == timedelta(minutes=90) and parse_duration("2d") == timedelta(days=2)


def test_cli_export(store, tmp_path):
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", str(store.path), "export", "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.output)["claims"]
    target = tmp_path / "d.md"
    out = runner.invoke(cli, ["--db", str(store.path), "export", "--output", str(target), "--place", "Morek"])
    assert out.exit_code == 0 and "written to" in out.output
    text = target.read_text()
    assert "Morek" in text and "Saraqib" not in text
    bad = runner.invoke(cli, ["--db", str(store.path), "export", "--since", "yesterday"])
    assert bad.exit_code != 0 and "expected a duration" in bad.output


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium():
    path = _chromium()
    if path is None and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run("apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium",
                       shell=True, capture_output=True, timeout=900)
        path = _chromium()
    if path is None:
        pytest.skip("chromium is not installed and could not be installed with apt-get")
    return path


def test_html_renders_in_headless_chromium_without_scripts(store, tmp_path, chromium):
    page = tmp_path / "digest.html"
    write_digest(store, "html", page, now=NOW)
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    dom = proc.stdout
    assert "Desk digest" in dom and "Ministry denial; no independent confirmation" in dom
    parsed = Tags()
    parsed.feed(dom)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not [name for name, _ in parsed.attrs if name.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # the hostile headline is there, as text
