"""Choose between the mypyc-compiled hot modules and their Python sources, before either loads.

Python imports an extension module in preference to the ``.py`` beside it, so a compiled module
left over from before an edit of its source would silently run old rules. A compiled module whose
source is newer is therefore not used: the source is loaded in its place (slower, never stale) and
a warning says to rebuild (``make`` does). ``WIREDESK_PURE=1`` loads the sources unconditionally,
which is how the tests compare the two.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path

HOT = ("_text", "_places", "_extract")  # dependency order: each imports only those before it
_HERE = Path(__file__).resolve().parent
_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def _compiled_file(name: str) -> Path | None:
    for suffix in _SUFFIXES:
        candidate = _HERE / f"{name}{suffix}"
        if candidate.exists():
            return candidate
    return None


def _load_source(name: str) -> None:
    qualified = f"{__package__}.{name}"
    spec = importlib.util.spec_from_file_location(qualified, _HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module
    spec.loader.exec_module(module)
    setattr(sys.modules[__package__], name, module)


def _choose() -> tuple[str, ...]:
    compiled = {name: _compiled_file(name) for name in HOT}
    stale = [name for name, path in compiled.items()
             if path and path.stat().st_mtime < (_HERE / f"{name}.py").stat().st_mtime]
    if stale and os.environ.get("WIREDESK_PURE") != "1":
        warnings.warn(f"claims: {', '.join(n + '.py' for n in stale)} changed since it was compiled; "
                      "running the Python source (run `make` to recompile)", RuntimeWarning, stacklevel=3)
    if not any(compiled.values()):
        return ()  # nothing compiled: the ordinary imports load the sources
    if stale or os.environ.get("WIREDESK_PURE") == "1":
        # A source module imports its siblings; load every hot module from source so none of them
        # binds to a compiled sibling built from older code.
        for name in HOT:
            _load_source(name)
        return ()
    return tuple(name for name, path in compiled.items() if path)


COMPILED: tuple[str, ...] = _choose()
