"""The app's figures on one database, measured inside the app under Pilot (headless).

    python -m bench.app_run DB   → one JSON line: first_paint_s, key_p95_ms, keys, peak_rss_mb

First paint: from constructing the app until the queue and the claim cards from the database are
on screen. Key to screen: from the key event's own timestamp to the last time the app painted
something on the screen because of it (after any worker it started has posted its result), before
it went idle again. Pilot's own waiting (~80 ms per press, its CPU-idle detection) is outside that
window.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import sys
import time
from pathlib import Path

from textual import events
from textual.worker import WorkerState

from tui.app import WiredeskApp
from tui.screens.desk import DeskScreen


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's ``ru_maxrss`` carries over the parent's peak
    through fork + exec (started from ``make bench``, whose process holds the gazetteer, it
    reported that process's 116 MB for the app at 1k and 100k alike); ``VmHWM`` is this program's own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def idle(pilot) -> None:
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        busy = [w for w in app.workers if w.group != "poll" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if busy:
            await app.workers.wait_for_complete(busy)
    await pilot.pause()


async def measure(db: Path) -> dict:
    loaded: set[str] = set()
    key_times: list[float] = []
    last_paint = [0.0]

    def hook(message) -> None:
        if isinstance(message, DeskScreen.QueueLoaded):
            loaded.add("queue")
        elif isinstance(message, DeskScreen.CardsLoaded):
            loaded.add("cards")
        elif isinstance(message, events.Key):
            key_times.append(message.time)

    start = time.monotonic()
    app = WiredeskApp(db, "bench", poll_seconds=30)
    display = app._display

    def painted(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None:  # a compositor pass with nothing to update paints nothing
            last_paint[0] = time.monotonic()

    app._display = painted
    async with app.run_test(size=(160, 48), message_hook=hook) as pilot:
        while loaded != {"queue", "cards"}:
            await asyncio.sleep(0.005)
        await pilot.pause()
        first_paint = time.monotonic() - start
        keys: dict[str, list[float]] = {"move": [], "open card": [], "verify": []}
        pressed: list[tuple[float, str]] = []

        async def press(label: str, key: str) -> None:
            before = len(key_times)
            await pilot.press(key)
            await idle(pilot)
            keys[label].append(max(0.0, last_paint[0] - key_times[before]) * 1000)
            pressed.append((keys[label][-1], f"{key} #{len(pressed) + 1}"))

        await idle(pilot)
        for _ in range(20):
            await press("move", "j")
        await press("move", "2")
        for _ in range(10):
            await press("open card", "j")
            await press("verify", "v")
        await press("move", "1")
        for _ in range(10):
            await press("open card", "enter")
            await press("move", "escape")
    all_keys = [t for ts in keys.values() for t in ts]
    return {
        "first_paint_s": first_paint,
        "key_p95_ms": statistics.quantiles(all_keys, n=20)[-1],
        "keys": {k: {"p50_ms": statistics.median(v), "max_ms": max(v)} for k, v in keys.items() if v},
        "slowest": [f"{name}: {ms:.1f} ms" for ms, name in sorted(pressed, reverse=True)[:6]],
        "peak_rss_mb": peak_rss_mb(),
    }


def measure_app(db: Path) -> dict:
    return asyncio.run(measure(db))


if __name__ == "__main__":
    print(json.dumps(measure_app(Path(sys.argv[1]))))
