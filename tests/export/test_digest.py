"""The digest in every format on a fixed database: golden files, escaping, and a real browser."""

from __future__ import annotations

import html
import re
import json
import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

import claims
from claims.types import Item
from db import NewItem
from tests.export.fixture import HOSTILE, MOREK, build, m
from wiredesk.cli import cli
from wiredesk.export import DigestError, build_digest, headline, parse_duration, render_digest, write_digest

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
    text = render_digest(store, fmt, now=NOW, editor="ana")
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
    morek_id, hama_id, saraqib_id = morek.claim.id, hama.claim.id, d.verified[1].claim.id
    assert d.editors == {"ana": {"disputed": (morek_id,), "verified": (saraqib_id,)}, "ben": {"verified": (hama_id,)}}
    assert (d.items, d.items_read) == (6, 0)


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
    assert hrefs and all(v.startswith(("http://", "https://", "#claim-")) for v in hrefs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = render_digest(store, "md", now=NOW)
    assert "<script>" not in md and "\\[link\\](javascript" in md  # escaped: no link can form
    review = json.loads(render_digest(store, "claimreview", now=NOW))
    assert all("javascript" not in json.dumps(r["itemReviewed"].get("appearance", [])) for r in review)


def test_markdown_renders_feed_text_as_text(store):
    """Through a real CommonMark renderer with raw HTML allowed: the only links are ours, no tags get through."""
    page = MarkdownIt("commonmark", {"html": True}).render(render_digest(store, "md", now=NOW))
    parsed = Tags()
    parsed.feed(page)
    assert not {"script", "img", "iframe", "b"} & set(parsed.tags)
    hrefs = [value for name, value in parsed.attrs if name == "href"]
    assert hrefs and all(v.startswith("https://x.example/") for v in hrefs)
    assert "[link](javascript:alert(3))" in page and "*boom*" in page  # shown literally


def test_syndicated_copies_are_cited_not_repeated(store):
    wire = "Factions stormed Morek and took control of the town."
    feed = store.feed_by_url("https://nna.example/rdf")
    for guid, extra in (("copy1", []), ("copy2", [m(MOREK, "asserts", "control", "Residents fled south.")])):
        store.add_items(feed.id, [NewItem(Item(guid, "Morek", wire, f"https://x.example/{guid}", "2026-11-20T09:00:00Z"),
                                          f"h-{guid}", None, (m(MOREK, "asserts", "control", wire), *extra))],
                        claims.assess, feed.outlet)
    (morek,) = build_digest(store, now=NOW).disputed
    sources = morek.sources
    first = next(s for s in sources if any(x.sentence == wire for x in s.mentions))
    assert [ev.link for ev in first.copies] == ["https://x.example/copy1"]
    second = next(s for s in sources if s.link == "https://x.example/copy2")
    assert [x.sentence for x in second.mentions] == ["Residents fled south."] and second.repeated == 1
    assert render_digest(store, "md", now=NOW).count(wire) == 1


def test_header_names_the_preparer_and_newsroom(store, tmp_path):
    page = render_digest(store, "html", now=NOW, editor="<ana>", organisation="Example Daily & Co")
    assert "Issued by Example Daily &amp; Co, prepared by &lt;ana&gt;" in page
    config = tmp_path / "c.toml"
    config.write_text('newsroom = "Example Daily"\neditor = "night desk"\n')
    out = CliRunner().invoke(cli, ["--db", str(store.path), "--config", str(config), "export", "--format", "claimreview"])
    assert out.exit_code == 0, out.output
    reviews = json.loads(out.output)
    assert {r["author"]["name"] for r in reviews} == {"Example Daily"}
    out = CliRunner().invoke(cli, ["--db", str(store.path), "--config", str(config), "export"])
    assert "Issued by Example Daily, prepared by night desk" in out.output


def test_claimreview_ratings(store):
    reviews = json.loads(render_digest(store, "claimreview", now=NOW))
    names = sorted(r["reviewRating"]["alternateName"] for r in reviews)
    assert names == ["Disputed", "Verified", "Verified"]
    assert all(r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org" for r in reviews)
    for r in reviews:
        assert r["author"] == {"@type": "Organization", "name": "wiredesk desk"}
        assert r["itemReviewed"]["@type"] == "Claim" and len(r["datePublished"]) == 10
        urls = [a["url"] for a in r["itemReviewed"].get("appearance", [])]
        assert len(urls) == len(set(urls)) and all(u.startswith("https://") for u in urls)
        assert None not in r["itemReviewed"].values()


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
    bad = runner.invoke(cli, ["--db", str(store.path), "export", "--place", "Atlantis"])
    assert bad.exit_code == 1 and "no claims about a place" in bad.output
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
    d = build_digest(store, now=NOW)
    assert all(html.escape(headline(dc.claim), quote=False) in dom for dc in d.verified + d.disputed)
    parsed = Tags()
    parsed.feed(dom)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not [name for name, _ in parsed.attrs if name.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # the hostile headline is there, as text


def test_bidi_and_invisible_characters_never_reach_a_digest(store):
    """A right-to-left override makes "deined" read "denied" in a browser: every format shows the
    characters in the order the desk showed them, with the controls gone."""
    from tui.text import BIDI_CONTROLS, ZERO_WIDTH

    tricky = "Officials \u202edeined\u202c the fall of Ka\u200bfr Nabl, state media said."
    place = m(MOREK, "asserts", "control", tricky, "state \u2067media\u2069").place
    feed = store.add_feed("https://trick.example/rss", outlet="Trick\u202e Wire")
    store.add_items(feed.id, [NewItem(Item("t1", "Tr\u202eick", tricky, "https://trick.example/1", "2026-11-21T09:00:00Z"),
                                      "h-t1", "https://trick.example/1",
                                      (m(place, "asserts", "attack", tricky, "state \u2067media\u2069"),))],
                    claims.assess, feed.outlet)
    claim = next(c for card in store.place_cards("Morek") for c in card.claims if c.event == "attack")
    store.add_verdict(claim.id, "verified", "ana", "Note \u202eton\u202c")
    for fmt in ("md", "html", "json", "claimreview"):
        text = render_digest(store, fmt, now=NOW)
        assert not set(BIDI_CONTROLS + ZERO_WIDTH) & set(text), fmt
        assert "Note ton" in text, fmt
        if fmt != "claimreview":  # which cites no sentences
            assert "deined the fall of Kafr Nabl" in text, fmt


def test_digest_credits_the_decision_that_stands(store):
    """An undo brings back the earlier verdict with its editor and note; an overridden verdict is
    history, not a decision of the period."""
    d = build_digest(store, now=NOW)
    hama, saraqib = (dc.claim.id for dc in d.verified)
    morek = d.disputed[0].claim.id
    store.add_verdict(hama, "disputed", "cem", "second thoughts")
    store.undo("cem", hama)
    store.add_verdict(saraqib, "disputed", "ben", "hospital retracted")
    d = build_digest(store, now=NOW)
    assert [dc.claim.id for dc in d.verified] == [hama] and {dc.claim.id for dc in d.disputed} == {morek, saraqib}
    assert d.verified[0].decided.editor == "ben" and d.verified[0].decided.note == "Monitor figure; ministry figure noted"
    assert d.editors == {"ana": {"disputed": (morek,)}, "ben": {"disputed": (saraqib,), "verified": (hama,)}}
    page = render_digest(store, "md", now=NOW)
    assert "Verified by ben" in page and "Monitor figure; ministry figure noted" in page
    assert "cem" not in page and "undo" not in page
    assert ("Decisions: ana disputed Control of Morek (ref. %d); ben disputed Attacks on Saraqib (ref. %d), "
            "verified Casualties in Hama (ref. %d)." % (morek, saraqib, hama)) in page


# -- what the reader of the published digest sees --------------------------------------------------


def _add(store, outlet_url, guid, published, mentions, title=None, link="default", outlet=None):
    feed = store.feed_by_url(outlet_url) or store.add_feed(outlet_url, outlet=outlet)
    link = f"https://x.example/{guid}" if link == "default" else link
    store.add_items(feed.id, [NewItem(Item(guid, title or guid, " ".join(x.sentence for x in mentions), link, published),
                                      f"h-{guid}", link, tuple(mentions))], claims.assess, feed.outlet)


def test_digest_speaks_to_readers_not_in_desk_codes(store):
    """Headings were the desk's summary ('Control of Morek — 1 assert · 1 relay · 1 deny (#1)') and
    each quote was tagged 'asserts'/'reports'; the decisions line was a list of bare ids ('#1 #3')."""
    d = build_digest(store, now=NOW)
    morek = d.disputed[0].claim.id
    for fmt in ("md", "html"):
        page = render_digest(store, fmt, now=NOW)
        text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S) if fmt == "html" else page
        assert not re.search(r"\b(asserts?|relay|deny)\b", text), fmt
        assert f"#{morek}" not in text and "desk ref. %d" % morek in text
        assert "Control of Morek" in text and "Control of Morek —" not in text
        assert "said" in text and "relayed, unconfirmed" in text and "denied" in text
    md = render_digest(store, "md", now=NOW)
    assert "Decisions: ana disputed Control of Morek (ref. %d)" % morek in md
    assert "- said (according to the operations room): “Factions stormed Morek" in md
    assert "said (residents)" not in md  # the quote names its source itself: not repeated beside it
    page = render_digest(store, "html", now=NOW)
    assert f'<a href="#claim-{morek}">Control of Morek</a>' in page
    review = json.loads(render_digest(store, "claimreview", now=NOW))
    assert {r["claimReviewed"] for r in review} == {"Casualties in Hama", "Attacks on Saraqib", "Control of Morek"}
    doc = json.loads(render_digest(store, "json", now=NOW))
    assert {c["headline"] for c in doc["claims"]} == {"Casualties in Hama", "Attacks on Saraqib", "Control of Morek"}
    assert all("assert" in c["summary"] for c in doc["claims"])  # the contract's summary is unchanged


def test_figures_say_who_gave_them_and_when(store):
    """'300 killed (low 300, high 1,000; median of 2 independent sources' highest figures)' named
    nobody: the ministry's 1,000 read as the desk's own range."""
    md = render_digest(store, "md", now=NOW)
    assert ("Killed: at least 300 (the monitor, via Levant Wire, 20 Nov 2026); "
            "more than 1,000 (the defence ministry, via Levant Wire, 20 Nov 2026).") in md
    assert "median of" not in md and "Figures conflict: killed: 300 vs 1,000 on 20 Nov 2026." in md
    assert "2026-11-20" not in md
    hama = next(c for c in json.loads(render_digest(store, "json", now=NOW))["claims"] if c["event"] == "casualties")
    (killed,) = hama["figures_reported"]
    assert [(r["value"], r["qualifier"], r["source"]) for r in killed["reported"]] == [
        (300, "at least", "the monitor"), (1000, "more than", "the defence ministry")]


def test_figures_keep_who_they_count(store):
    """'27 civilians wounded' is said as civilians, beside '200 wounded', each with its source."""
    from claims.types import Figure
    from tests.export.fixture import SARAQIB

    _add(store, "https://lw.example/rss", "lw9", "2026-11-21T08:00:00Z",
         [m(SARAQIB, "asserts", "attack", "The health directorate said 27 civilians were wounded in Saraqib.",
            "the health directorate", [Figure(27, "wounded", who="civilians")])], title="Saraqib wounded")
    md = render_digest(store, "md", now=NOW)
    assert "Civilians wounded: 27 (the health directorate, via Levant Wire, 21 Nov 2026)." in md


def test_a_verified_claim_counts_its_supporters_and_quotes_the_denial_it_overrides(store):
    """The Morek claim, verified: the digest said '3 outlets, 3 independent sources' counting the
    ministry that denied it as a source, and quoted no denial at all."""
    morek = build_digest(store, now=NOW).disputed[0].claim.id
    store.add_verdict(morek, "verified", "ben", "our stringer saw fighters in the square")
    md = render_digest(store, "md", now=NOW)
    section = md[md.index("#### Control of Morek"):]
    assert section.startswith("#### Control of Morek (desk ref. %d)\n\nReported by 2 outlets citing 2 sources; "
                              "denied in 1 report." % morek)
    assert ("Latest denial: “The Defence Ministry said reports of entry into Morek were false.” "
            "(National News Agency, 20 Nov 2026 07:05 UTC).") in section
    assert "independent source" not in md


def test_echoes_of_one_originator_are_not_independent_confirmation(store):
    """Three outlets carrying the ministry's statement are one source, and word-for-word copies are said so."""
    from tests.export.fixture import SARAQIB

    said = "The defence ministry said its jets struck a depot in Saraqib."
    for url, guid, outlet in (("https://a.example/rss", "a1", "Alpha"), ("https://b.example/rss", "b1", "Beta"),
                              ("https://c.example/rss", "c1", "Gamma")):
        _add(store, url, guid, "2026-11-20T15:00:00Z", [m(SARAQIB, "asserts", "control", said, "the defence ministry")],
             outlet=outlet)
    claim = next(c for card in store.place_cards("Saraqib") for c in card.claims if c.event == "control")
    store.add_verdict(claim.id, "verified", "ana")
    md = render_digest(store, "md", now=NOW)
    section = md[md.index("#### Control of Saraqib"):]
    assert section.split("\n")[2] == (
        "Reported by 3 outlets citing 1 source (outlets repeating one source are not independent confirmation); "
        "2 reports only repeat another outlet's words.")


def test_a_disputed_claim_without_a_note_says_why(store):
    """'disputed by ben, <time>' and nothing else: the reader could not tell what was wrong with it."""
    morek = build_digest(store, now=NOW).disputed[0].claim.id
    store.add_verdict(morek, "disputed", "ben")
    md = render_digest(store, "md", now=NOW)
    assert "No reason was recorded with this verdict. Against the claim: denied in 1 report." in md
    page = render_digest(store, "html", now=NOW)
    assert '<p class="reason">No reason was recorded with this verdict.' in page
    doc = json.loads(render_digest(store, "json", now=NOW))
    assert next(c for c in doc["claims"] if c["id"] == morek)["reason"].startswith("No reason was recorded")
    hama = next(c for c in doc["claims"] if c["event"] == "casualties")
    assert hama["reason"] is None  # verified, with a note


def test_a_long_evidence_list_is_cut_to_the_decisive_reports(store):
    """A claim with 28 reports listed every one; cut to eight, the list must keep the denials of a
    disputed claim and the newest report, and say what it left out."""
    for i in range(24):
        _add(store, "https://fo.example/atom", f"fx{i}", f"2026-11-20T{8 + i // 6:02d}:{i % 6 * 10:02d}:00Z",
             [m(MOREK, "asserts", "control", f"Fighters were seen in Morek square, resident number {i} said.")])
    _add(store, "https://nna.example/rdf", "nna-late", "2026-11-21T20:00:00Z",
         [m(MOREK, "denies", "control", "The army said it never left Morek.", "the army")], title="Army: we hold Morek")
    md = render_digest(store, "md", now=NOW)
    section = md[md.index("#### Control of Morek"):]
    reports = [line for line in section.split("\n") if line.startswith("- ") and "not quoted" not in line]
    assert len(reports) == 8
    assert "The army said it never left Morek." in section  # the newest report
    assert "reports of entry into Morek were false" in section  # every denial of a disputed claim
    assert "- 20 more reports not quoted here (Free Orient TV 20); the JSON export lists every one." in section
    assert "resident number 23 said" in section and "resident number 5 said" not in section  # then the newest
    doc = json.loads(render_digest(store, "json", now=NOW))
    assert len(next(c for c in doc["claims"] if c["event"] == "control")["mentions"]) == 28
    page = render_digest(store, "html", now=NOW)
    assert '<li class="more">20 more reports not quoted here' in page


def test_claimreview_stays_inert_inside_a_script_element(store):
    """Publishers embed JSON-LD in <script type="application/ld+json">: a headline holding
    '</script><script>' ended that element and ran whatever followed."""
    from tests.export.fixture import SARAQIB

    evil = "Market hit</script><script>alert(1)</script><!--"
    _add(store, "https://lw.example/rss", "evil", "2026-11-20T13:00:00Z",
         [m(SARAQIB, "asserts", "attack", "A market in Saraqib was hit, residents said.")], title=evil)
    text = render_digest(store, "claimreview", now=NOW)
    assert "<" not in text and ">" not in text
    headlines = [a["headline"] for r in json.loads(text) for a in r["itemReviewed"].get("appearance", [])]
    assert evil in headlines  # the same data once parsed


def test_a_report_dated_by_day_only_shows_no_midnight_time(store):
    """A dispatch dated '2026-11-20' was cited as '20 Nov 2026 00:00 UTC', a time nobody reported."""
    from tests.export.fixture import SARAQIB

    _add(store, "https://lw.example/rss", "day", "2026-11-20T00:00:00Z",
         [m(SARAQIB, "asserts", "attack", "Residents said a market in Saraqib was hit.")], title="Dispatch", link=None)
    md = render_digest(store, "md", now=NOW)
    assert "- Levant Wire, “Dispatch”, 20 Nov 2026\n" in md and "00:00 UTC" not in md


def test_the_header_says_what_the_period_covers(store):
    """'period: … · 0 items triaged (0 read)' beside claims whose reports all predate the period read
    as if the desk had published claims nobody read; the header says which claims a period selects."""
    md = render_digest(store, "md", since=timedelta(hours=12), now=NOW)
    assert ("claims decided or reported on between 21 Nov 2026 11:00 UTC and 21 Nov 2026 23:00 UTC · "
            "0 wire reports received in that period · 2 verified, 1 disputed") in md
    assert "read)" not in md and "triaged" not in md
    empty = render_digest(store, "html", place="Morek", now=NOW)
    assert "<p><em>No claims verified in this period.</em></p>" in empty
