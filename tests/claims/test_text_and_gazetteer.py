"""Sentence splitting, name normalisation, and the gazetteer index cache (build once, load fast,
rebuild when damaged, memoised per process). Sentences are invented for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import claims
from claims import _gazetteer, normalise_name, split_sentences

# -- sentences ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("The U.S. envoy arrived in Damascus. Talks began on Monday.",
     ["The U.S. envoy arrived in Damascus.", "Talks began on Monday."]),
    ("Mr. Haddad said Gen. Tarif had left. The army denied it.",
     ["Mr. Haddad said Gen. Tarif had left.", "The army denied it."]),
    ("The offensive began on Jan. 12 near Hama. It stalled.",
     ["The offensive began on Jan. 12 near Hama.", "It stalled."]),
    ("About 2,000 people fled. Another 3.5 million need aid.",
     ["About 2,000 people fled.", "Another 3.5 million need aid."]),
    ("Fighters from al-Nusra entered al-Bab. The monitor confirmed it.",
     ["Fighters from al-Nusra entered al-Bab.", "The monitor confirmed it."]),
    ("\"We took the town.\" The commander said so on Monday.",
     ["\"We took the town.\"", "The commander said so on Monday."]),
    ("\"Did they enter Morek?\" asked one resident. Nobody knew.",
     ["\"Did they enter Morek?\" asked one resident.", "Nobody knew."]),
    ("Shelling resumed at 4 p.m. on Tuesday, witnesses said.",
     ["Shelling resumed at 4 p.m. on Tuesday, witnesses said."]),
    ("First paragraph without a stop\n\nSecond paragraph.",
     ["First paragraph without a stop", "Second paragraph."]),
    ("The U.N. said 40 were killed. U.N. staff left.",
     ["The U.N. said 40 were killed.", "U.N. staff left."]),
    ("Talks were held in the U.S. The army withdrew.",
     ["Talks were held in the U.S. The army withdrew."]),  # documented limit: initials never end a sentence
])
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_split_sentences_splits_on_plain_boundaries():
    assert len(split_sentences("Rebels advanced. The army withdrew! Was it over? Nobody said.")) == 4


def test_split_sentences_is_deterministic_and_keeps_words():
    text = "Rebels entered Morek. The ministry denied it.\n\n  Residents fled towards Hama.  "
    assert split_sentences(text) == split_sentences(text)
    assert " ".join(split_sentences(text)).split() == text.split()


def test_split_sentences_keeps_abbreviations_in_long_text():
    # Abbreviations, initials and times do not end a sentence, however many there are (speed is
    # measured in bench/, not here).
    sentence = "Mr. Haddad said Gen. Tarif had reached the U.S. embassy at 4 p.m. on Jan. 3, and 2,000 people fled."
    assert [s.strip() for s in split_sentences(" ".join([sentence] * 2000))] == [sentence] * 2000


# -- names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [
    ("Ma'arrat al-Nu'man", "Maarat al Numan"),
    ("Ma’arrat an-Nu’man", "Maʿarrat al-Nuʿman"),
    ("Deir ez-Zor", "Dayr az Zor"),
    ("Tell Rifaat", "Tal Rifat"),
    ("Kfar Nabl", "Kafr Nabl"),
    ("Sūrān", "Suran"),
    ("El Fasher", "al-Fasher"),
    ("ash-Shaddadi", "as Shadadi"),
])
def test_normalise_name_makes_variants_equal(a, b):
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize("a, b", [("Hama", "Homs"), ("Idlib", "Aleppo"), ("Kessa", "Kassab")])
def test_normalise_name_keeps_different_names_apart(a, b):
    assert normalise_name(a) != normalise_name(b)


# -- gazetteer index cache ------------------------------------------------------------------------------


def _fresh_load(cache: Path) -> claims.Gazetteer:
    claims.Gazetteer._memo.pop((str(cache), _gazetteer.INDEX_VERSION), None)
    return claims.Gazetteer.load(cache)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A cache dir with the index built into it (the one slow step, ~10 s, done once per run)."""
    cache = tmp_path_factory.mktemp("gazetteer-cache")
    claims.Gazetteer.load(cache)
    return cache


def test_index_file_is_versioned_in_the_cache_dir(built):
    files = [p.name for p in built.iterdir()]
    assert files == [f"gazetteer-v{_gazetteer.INDEX_VERSION}.marshal"]


def test_load_from_the_cache_reads_the_index_without_building_it(built, monkeypatch):
    def no_build():
        raise AssertionError("the index was built again instead of read from the cache")

    monkeypatch.setattr(_gazetteer, "build_index", no_build)
    gazetteer = _fresh_load(built)
    hama = gazetteer.candidates(normalise_name("Hama"))
    assert hama and hama[0][2] == "SY" and hama[0][6] > 100_000
    assert gazetteer.country(normalise_name("Sudan")).code == "SD"


def test_repeated_loads_in_one_process_are_memoised(built, monkeypatch):
    first = claims.Gazetteer.load(built)

    def no_read(cache_dir):
        raise AssertionError("the index file was read again")

    monkeypatch.setattr(_gazetteer.Index, "load", classmethod(no_read))
    assert all(claims.Gazetteer.load(built)._index is first._index for _ in range(3))


def test_damaged_cache_is_rebuilt(built, tmp_path):
    index = built / f"gazetteer-v{_gazetteer.INDEX_VERSION}.marshal"
    damaged = tmp_path / index.name
    damaged.write_bytes(index.read_bytes()[:1000])
    gazetteer = _fresh_load(tmp_path)
    assert gazetteer.candidates(normalise_name("Aleppo"))
    assert damaged.stat().st_size == index.stat().st_size  # rewritten whole


def test_unwritable_cache_dir_still_loads(built, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache dir should be")
    gazetteer = _fresh_load(blocker / "cache")
    assert gazetteer.candidates(normalise_name("Goma"))


def test_candidates_are_most_populous_first_and_capped(built):
    gazetteer = _fresh_load(built)
    cands = gazetteer.candidates(normalise_name("Damascus"))
    assert cands[0][2] == "SY" and any(c[2] == "US" for c in cands)
    assert [c[6] for c in cands] == sorted((c[6] for c in cands), reverse=True)
    assert len(cands) <= _gazetteer.MAX_CANDIDATES


def test_unknown_names_have_no_candidates(built):
    gazetteer = _fresh_load(built)
    assert gazetteer.candidates(normalise_name("Valdora")) == []
    assert gazetteer.candidates("") == []


def test_a_province_spelled_by_an_alias_is_spelled_so_for_every_place_in_it(built):
    # GeoNames names Hama's province after its seat's ASCII name, "Hamah"; the desk's aliases say
    # "Hama": one desk listed "Tell Qasra (Hama, Syria)" beside "Suran (Hamah, Syria)".
    plain = _fresh_load(built)
    suran = plain.place(plain.candidates(normalise_name("Suran"))[0])
    assert suran.admin1 == "Hamah"
    desk = claims.Gazetteer.load(built, aliases={
        "Tell Qasra": {"country": "SY", "admin1": "Hama", "lat": 35.33, "lon": 36.62, "kind": "village"},
        "Qessa": {"country": "SY", "admin1": "Nowhere Land"},  # names no area: changes nothing
    })
    assert desk.place(desk.candidates(normalise_name("Suran"))[0]).admin1 == "Hama"
    assert desk.place(desk.candidates(normalise_name("Hama"))[0], province=True).admin1 == "Hama"
    assert desk.alias(normalise_name("Tell Qasra")).admin1 == "Hama"
    assert desk.place(desk.candidates(normalise_name("Aleppo"))[0]).admin1 == "Aleppo"  # other areas as they were
    # Only the area an alias names is respelled.
    assert desk.admin_spellings == {"SY.10": "Hama"}


def test_claims_imports_no_io_or_forbidden_packages():
    import subprocess
    import sys

    code = ("import sys; import claims; bad = {'sqlite3', 'sqlite_utils', 'textual', 'httpx', 'feedparser'}; "
            "print(sorted(bad & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(claims.__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"
