"""The mypyc-compiled hot modules must extract exactly what their Python sources extract, and a
compiled module older than its source must never run (it would apply old rules silently)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import claims

ROOT = Path(__file__).resolve().parents[2]

# Extract every report of both evaluation sets, the throughput text and the sample wire's
# dispatches; print one canonical line per mention.
DUMP = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    import claims
    from bench.extraction.throughput import wire_text
    root = Path(sys.argv[1])
    texts = []
    for name in ("reports.json", "evalset.json"):
        data = json.loads((root / "bench" / "extraction" / name).read_text())
        texts += [(r.get("title", ""), r["text"]) for r in data["reports"]]
    texts += [("", t) for t in wire_text(0.3)]
    texts += [("", p.read_text()) for p in sorted((root / "wiredesk" / "sample").rglob("*.txt"))]
    gazetteer = claims.Gazetteer.load(Path(sys.argv[2]))
    print(json.dumps({"compiled": claims.COMPILED}))
    for i, (title, text) in enumerate(texts):
        for m in claims.extract(claims.Item(str(i), title, text), gazetteer):
            print(i, repr(m))
""")


def _dump(env_extra: dict[str, str], cache: Path) -> tuple[list[str], list[str]]:
    env = {**os.environ, **env_extra}
    out = subprocess.run([sys.executable, "-c", DUMP, str(ROOT), str(cache)], env=env, check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout.splitlines()
    return json.loads(out[0])["compiled"], out[1:]


@pytest.mark.skipif(not claims.COMPILED, reason="claims is running from source here (no mypyc build)")
def test_compiled_modules_extract_what_the_sources_extract(tmp_path):
    cache = Path(os.environ.get("WIREDESK_CACHE") or tmp_path)
    compiled, native = _dump({}, cache)
    pure, source = _dump({"WIREDESK_PURE": "1"}, cache)
    assert compiled and not pure
    assert len(native) > 2000
    assert native == source


def _copy_package(tmp_path: Path) -> Path:
    """claims/ with its compiled modules, and the shared mypyc runtime library they load."""
    shutil.copytree(ROOT / "claims", tmp_path / "claims", ignore=shutil.ignore_patterns("__pycache__"))
    for lib in ROOT.glob("*__mypyc*"):
        shutil.copy2(lib, tmp_path / lib.name)
    return tmp_path


SHOW = "import claims, sys; print(claims.COMPILED, claims._places.__file__, claims._extract.__file__)"


@pytest.mark.skipif(not claims.COMPILED, reason="claims is running from source here (no mypyc build)")
def test_a_compiled_module_older_than_its_source_is_not_used(tmp_path):
    root = _copy_package(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("WIREDESK_PURE", None)
    fresh = subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, cwd=root)
    assert ".so" in fresh.stdout.split()[-1] or ".pyd" in fresh.stdout.split()[-1], fresh.stdout + fresh.stderr

    source = root / "claims" / "_places.py"
    later = time.time() + 5
    os.utime(source, (later, later))  # an edit after the build
    stale = subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, cwd=root)
    assert stale.returncode == 0, stale.stderr
    compiled, places_file, extract_file = stale.stdout.rsplit(maxsplit=2)
    assert compiled == "()"
    assert places_file.endswith("_places.py") and extract_file.endswith("_extract.py")
    assert "_places.py changed since it was compiled" in stale.stderr


def test_pure_mode_loads_every_hot_module_from_source(tmp_path):
    env = {**os.environ, "WIREDESK_PURE": "1"}
    out = subprocess.run([sys.executable, "-c", SHOW + "; print(claims._text.__file__)"], env=env,
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
    assert out[0] == "()"
    assert all(path.endswith(".py") for path in out[1:])
