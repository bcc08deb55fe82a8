"""The near-duplicate index's datasketch, loaded without scipy.integrate (see ``_import_datasketch``)."""

from __future__ import annotations

import subprocess
import sys


def test_given_lsh_parameters_are_the_ones_datasketch_would_choose():
    from datasketch.lsh import _optimal_param

    from wiredesk.ingest import LSH_PARAMS, NEAR_DUPLICATE, NUM_PERM

    assert _optimal_param(NEAR_DUPLICATE, NUM_PERM, 0.5, 0.5) == LSH_PARAMS


PROBE = """
import sys
from wiredesk import ingest
ingest.load_sketching()
assert "scipy.integrate" not in sys.modules, "scipy.integrate was imported"
import datasketch
# Parameters not given: datasketch integrates, through the stand-in's quad, with the real scipy.
index = datasketch.MinHashLSH(threshold=0.8, num_perm=32)
import scipy.integrate
assert hasattr(scipy.integrate, "solve_ivp"), "scipy.integrate is still the stand-in"
print(index.b, index.r)
"""


def test_datasketch_loads_without_scipy_integrate_and_still_works_without_given_parameters():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    from datasketch.lsh import _optimal_param

    assert tuple(map(int, out.stdout.split())) == _optimal_param(0.8, 32, 0.5, 0.5)
