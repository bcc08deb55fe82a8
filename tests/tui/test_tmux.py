"""The real `wiredesk` process in a real terminal (tmux): open, verify a claim, quit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
WIREDESK = str(Path(sys.executable).parent / "wiredesk")


class Tmux:
    def __init__(self, tmp_path: Path) -> None:
        self.socket = f"wiredesk-test-{os.getpid()}-{tmp_path.name}"

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "desk")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared:\n{self.screen()}")


def test_real_process_in_tmux(desk_db, tmp_path):
    tmux = Tmux(tmp_path)
    command = (
        f"env TZ=UTC TERM=xterm-256color WIREDESK_EDITOR=tmux-editor XDG_CONFIG_HOME={tmp_path}/cfg "
        f"{WIREDESK} --db {desk_db} tui"
    )
    # A shell first, the app typed into it: started as the session's own command, a loaded machine
    # sometimes ran the app before tmux had sized the pane, and it drew an 80x24 screen.
    tmux.run("new-session", "-d", "-x", "120", "-y", "40", "-s", "desk", "sh")
    tmux.run("send-keys", "-t", "desk", f"exec {command}", "Enter")
    try:
        screen = tmux.wait_for("Convoy seen leaving")
        assert "1 Queue" in screen and "2 Claims" in screen
        tmux.run("send-keys", "-t", "desk", "2")
        tmux.wait_for("UNVERIFIED")
        tmux.run("send-keys", "-t", "desk", "v")
        screen = tmux.wait_for("verified by tmux-editor")
        with Store(desk_db) as store:
            rows = store.db.execute("SELECT status, editor FROM verdicts").fetchall()
        assert rows == [("verified", "tmux-editor")]
        tmux.run("send-keys", "-t", "desk", "q")
        end = time.monotonic() + 10
        while time.monotonic() < end and "desk" in tmux.run("list-sessions", "-F", "#{session_name}"):
            time.sleep(0.2)
        assert "desk" not in tmux.run("list-sessions", "-F", "#{session_name}")
    finally:
        tmux.run("kill-server")
