"""The JSON shapes of the CLI contract (DESIGN.md §5), built once and shared by every command."""

from __future__ import annotations

import json
import re
from typing import Any

from claims.types import Figure, FigureRange, Mention, Place
from db import ClaimView, Feed, ItemRow, PlaceCard, Verdict
from tui.text import BIDI_CONTROLS, ZERO_WIDTH

# Characters that would act on a terminal showing the JSON (bidi overrides reorder what is shown,
# zero-width ones hide inside names, C1 controls) are written as \uXXXX escapes: the same JSON
# string to any parser, inert on a screen. They can only occur inside strings, where the escape is valid.
_INVISIBLE = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}\x7f-\x9f\u2028\u2029]")


def dumps(value: Any) -> str:
    """JSON for the CLI's --json output: readable non-ASCII text, invisible and bidi characters escaped."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, indent=2, ensure_ascii=False))


def item_json(row: ItemRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "outlet": row.outlet,
        "title": row.title,
        "url": row.link,
        "published": row.published,
        "fetched": row.fetched,
        "cluster": row.cluster,
        "cluster_size": row.cluster_size,
        "claims": row.claim_count,
        "read": row.read,
    }


def feed_json(feed: Feed, items_today: int = 0) -> dict[str, Any]:
    return {
        "id": feed.id,
        "url": feed.url,
        "outlet": feed.outlet,
        "title": feed.title,
        "enabled": feed.enabled,
        "interval": feed.interval,
        "last_fetched": feed.last_fetched,
        "last_status": feed.last_status,
        "last_result": feed.last_result,
        "last_error": feed.last_error,
        "failures": feed.failures,
        "next_due": feed.next_due,
        "fetches": feed.fetches,
        "not_modified": feed.not_modified,
        "items_today": items_today,
    }


def place_json(place: Place) -> dict[str, Any]:
    return {
        "name": place.name,
        "country": place.country,
        "admin1": place.admin1,
        "lat": place.lat,
        "lon": place.lon,
        "key": place.key,
        "kind": place.kind,
        "source": place.source,
    }


def figure_json(f: Figure) -> dict[str, Any]:
    return {"value": f.value, "what": f.what, "who": f.who, "qualifier": f.qualifier, "low": f.low, "high": f.high}


def range_json(r: FigureRange) -> dict[str, Any]:
    return {"what": r.what, "who": r.who, "low": r.low, "best": r.best, "high": r.high, "rule": r.rule,
            "values": list(r.values)}


def mention_json(m: Mention) -> dict[str, Any]:
    return {
        "id": m.id,
        "item_id": m.item_id,
        "outlet": m.outlet,
        "published": m.published,
        "sentence": m.sentence,
        "stance": m.stance,
        "attributed_to": m.attributed_to,
        "numbers": [figure_json(f) for f in m.numbers],
        "precision": m.precision,
        "qualifier": m.qualifier,
        "near": m.near,  # "road to Suran": where the sentence puts the claim, when not the place itself
    }


def verdict_json(v: Verdict) -> dict[str, Any]:
    return {
        "status": v.status,
        "editor": v.editor,
        "at": v.at,
        "note": v.note,
        "id": v.id,
        "claim_id": v.claim_id,
        "evidence": list(v.evidence),
        "undoes": v.undoes,
    }


def claim_json(c: ClaimView) -> dict[str, Any]:
    return {
        "id": c.id,
        "summary": c.summary,
        "event": c.event,
        "status": c.status,
        "contested": c.contested,
        "contest_reasons": list(c.contest_reasons),
        "needs_review": c.needs_review,
        "verdict_id": c.last_verdict.id if c.last_verdict else None,
        "stance_counts": c.stance_counts,
        "outlets": c.outlets,
        "originators": c.originators,
        "figures": [range_json(r) for r in c.figures],
        "first_seen": c.first_seen,
        "last_seen": c.last_seen,
        "mentions": [mention_json(m) for m in c.mentions],
    }


def card_json(card: PlaceCard) -> dict[str, Any]:
    return {"place": place_json(card.place), "claims": [claim_json(c) for c in card.claims]}
