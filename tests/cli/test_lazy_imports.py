"""Each command imports only what it uses: help and the light commands start without the HTTP
client, the extractor, datasketch/scipy or the app. Checked on ``sys.modules`` in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("scipy", "datasketch", "numpy", "textual", "httpx", "feedparser", "selectolax", "claims._extract", "db.")

PROBE = """
import json, sys
from wiredesk.cli import main
sys.argv = ["wiredesk", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({m for m in sys.modules if m.startswith(%r)})), file=sys.stderr)
"""


def loaded(args, env_db):
    prefixes = HEAVY
    code = PROBE.replace("m.startswith(%r)", f"m.startswith({prefixes!r})")
    out = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True,
                         env={**os.environ, "WIREDESK_DB": str(env_db)}, timeout=120)
    return set(json.loads(out.stderr.strip().splitlines()[-1])), out.stdout


@pytest.mark.parametrize("args", [["--help"], ["import", "--help"], ["fetch", "--help"], ["export", "--help"]])
def test_help_imports_no_heavy_package_and_no_store(tmp_path, args):
    modules, stdout = loaded(args, tmp_path / "desk.db")
    assert modules == set(), f"wiredesk {' '.join(args)} imported {sorted(modules)}"
    assert "Usage:" in stdout


@pytest.mark.parametrize("args", [["feeds", "list"], ["items", "--json"]])
def test_reading_commands_do_not_import_fetching_extraction_or_the_app(tmp_path, args):
    from db import Store

    Store(tmp_path / "desk.db").close()  # reading commands need a database to be there
    modules, stdout = loaded(args, tmp_path / "desk.db")
    assert "db._store" in modules  # the command did open the store
    # The store, and through its data types the claims package, are what these commands use;
    # sqlite-utils imports numpy itself when it is installed. Nothing else heavy belongs here.
    modules = {m for m in modules if not m.startswith(("numpy", "db.", "claims."))}
    assert modules == set(), f"wiredesk {' '.join(args)} imported {sorted(modules)}"


def test_import_still_loads_what_it_needs(tmp_path):
    feed = tmp_path / "wire.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Wire</title><item><guid>a</guid>'
                    "<title>Shelling near Morek</title><description>Shelling hit Morek, residents said.</description>"
                    "</item></channel></rss>")
    modules, stdout = loaded(["import", str(feed)], tmp_path / "desk.db")
    assert "1 new" in stdout
    assert {"datasketch", "feedparser", "claims._extract"} <= modules
    # datasketch's LSH would import scipy.integrate (0.35 s) to choose parameters we give it.
    assert "scipy.integrate" not in modules


def test_a_fetch_answered_by_304s_does_not_load_the_sketching_library(tmp_path, server):
    from tests.loopback import conditional

    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Wire</title><item><guid>a</guid>'
            "<title>Shelling near Morek</title><description>Shelling hit Morek, residents said.</description>"
            "</item></channel></rss>").encode()
    server.route("/a.xml", conditional(feed, '"a1"', "Fri, 20 Nov 2026 12:00:00 GMT"))
    first, stdout = loaded(["fetch", server.url("/a.xml")], tmp_path / "desk.db")
    assert "1 new" in stdout and "datasketch" in first
    again, stdout = loaded(["fetch", server.url("/a.xml")], tmp_path / "desk.db")
    assert "not modified (304)" in stdout
    assert not {m for m in again if m.startswith(("datasketch", "scipy"))}
