"""Build hook: compile the hot extraction modules of ``claims/`` with mypyc when it can.

The modules stay ordinary Python (they are the source of truth and the fallback); mypyc turns them
into C extensions that Python prefers over the ``.py`` beside them, which makes extraction about
1.35x faster (see claims/README.md). If the compiler is missing or a module fails to compile, the build
says so and installs pure Python instead of failing: wiredesk is then slower, not broken.
``WIREDESK_PURE=1`` at build time skips compilation; at run time it makes ``claims`` load the
``.py`` sources even where compiled modules exist.
"""

import ast
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext



def hot_modules() -> list[str]:
    """The modules claims/_native.py chooses between (its ``HOT``), read without importing claims."""
    tree = ast.parse(Path(__file__).with_name("claims").joinpath("_native.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "HOT":
            return [f"claims/{name}.py" for name in ast.literal_eval(node.value)]
    raise LookupError("claims/_native.py defines no HOT")


class OptionalBuildExt(build_ext):
    """Compile what can be compiled; a failure leaves the pure-Python module in place."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # the compiler or the platform is missing: pure Python still works
            print(f"wiredesk: compiled claims modules not built ({exc}); using pure Python", file=sys.stderr)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:
            print(f"wiredesk: {ext.name} not compiled ({exc}); using pure Python", file=sys.stderr)


def extensions():
    if os.environ.get("WIREDESK_PURE") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("wiredesk: mypyc not available; claims stays pure Python", file=sys.stderr)
        return []
    try:
        return mypycify(hot_modules(), opt_level="3", debug_level="0")
    except BaseException as exc:  # mypyc exits on a type error: never let it block an install
        print(f"wiredesk: mypyc could not compile claims ({exc!r}); using pure Python", file=sys.stderr)
        return []


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
