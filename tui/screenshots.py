"""README screenshots of the three panes, from the bundled sample wire: ``python -m tui.screenshots OUTDIR``.

The demo database is built by the real CLI (``wiredesk demo --prepare-only``) in a subprocess, so
tui does not import the product package. Times are shown in UTC so the pictures are stable.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual.worker import WorkerState

from .app import WiredeskApp

SIZE = (140, 42)
SHOTS = {
    "desk-queue.svg": (),
    "desk-claims.svg": ("2",),
    "desk-diff.svg": ("2", "enter"),
}


def build_demo_db(path: Path) -> Path:
    wiredesk = Path(sys.executable).parent / "wiredesk"
    command = [str(wiredesk)] if wiredesk.exists() else [shutil.which("wiredesk") or "wiredesk"]
    subprocess.run([*command, "--db", str(path), "demo", "--prepare-only"], check=True, capture_output=True, text=True)
    return path


async def _settle(pilot) -> None:
    app = pilot.app
    for _ in range(4):
        await pilot.pause()
        busy = [w for w in app.workers if w.group != "poll" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause(0.1)


async def _shoot(db: Path, outdir: Path, name: str, keys: tuple[str, ...]) -> Path:
    app = WiredeskApp(db, "desk editor", poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        app.save_screenshot(filename=name, path=str(outdir))
    return outdir / name


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tui.screenshots OUTDIR", file=sys.stderr)
        return 2
    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory(prefix="wiredesk-shots-") as tmp:
        db = build_demo_db(Path(tmp) / "demo.db")
        for name, keys in SHOTS.items():
            print(asyncio.run(_shoot(db, outdir, name, keys)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
