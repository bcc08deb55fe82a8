"""The shared data types cross process boundaries (worker processes pickle what they extract for
the one writer): a pickled value must come back equal, hashable and still frozen."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle

import pytest

from claims import Assessment, Figure, FigureRange, Item, Mention, Place


def _mention() -> Mention:
    place = Place("gn:166640", "Morek", "town", "Syria", "SY", "Hamah", 35.37, 36.69, "geonames", "country:SY")
    return Mention(place, "At least 300 fighters were killed near Morek, the monitor said.", 2, "asserts",
                   "casualties", (Figure(300, "killed", "at least", 300, None, "At least 300"),), "the monitor", 2,
                   "near", id=7, item_id=3, outlet="Levant Wire", published="2026-11-20T12:00:00Z")


@pytest.mark.parametrize("value", [
    _mention(), _mention().place, _mention().numbers[0],
    Item("guid-1", "Morek", "Text.", link="https://example.org/1", published=None, outlet="Levant Wire"),
])
def test_a_pickled_value_comes_back_equal_and_frozen(value):
    for loaded in (pickle.loads(pickle.dumps(value, protocol=5)), copy.deepcopy(value)):
        assert loaded == value and hash(loaded) == hash(value) and type(loaded) is type(value)
        field = dataclasses.fields(loaded)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(loaded, field, None)


def test_mentions_that_share_a_place_share_it_after_loading():
    first, second = _mention(), dataclasses.replace(_mention(), sentence_index=3)
    second = dataclasses.replace(second, place=first.place)
    a, b = pickle.loads(pickle.dumps([first, second], protocol=5))
    assert a.place is b.place  # pickled once: a feed's mentions of one town do not repeat it


@pytest.mark.parametrize("cls", [Item, Place, Figure, Mention, FigureRange, Assessment])
def test_slot_init_takes_what_the_dataclass_init_took(cls):
    """``slot_init`` replaces the generated ``__init__``: same parameters, same defaults (a factory's
    called per instance), the same errors, and the instance stays frozen."""
    def spec(f: dataclasses.Field) -> tuple:
        if f.default is not dataclasses.MISSING:
            return f.name, f.type, dataclasses.field(default=f.default)
        if f.default_factory is not dataclasses.MISSING:
            return f.name, f.type, dataclasses.field(default_factory=f.default_factory)
        return f.name, f.type
    reference = dataclasses.make_dataclass(cls.__name__, [spec(f) for f in dataclasses.fields(cls)], frozen=True)
    ours, theirs = inspect.signature(cls.__init__), inspect.signature(reference.__init__)
    assert list(ours.parameters) == list(theirs.parameters)
    for name, param in theirs.parameters.items():
        if param.default is inspect.Parameter.empty:
            assert ours.parameters[name].default is inspect.Parameter.empty
    required = [f for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    with pytest.raises(TypeError):
        cls(*(None for _ in required[:-1]))
    with pytest.raises(TypeError):
        cls(*(None for _ in required), **{"no_such_field": 1})
    value = cls(**{f.name: f"v-{f.name}" for f in required})
    for f in dataclasses.fields(cls):
        expected = f"v-{f.name}" if f in required else (
            f.default if f.default is not dataclasses.MISSING else f.default_factory())
        assert getattr(value, f.name) == expected
    assert value == cls(*(f"v-{f.name}" for f in required))
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, required[0].name, None)


def test_default_factories_give_each_instance_its_own_value():
    a, b = Assessment("s", False), Assessment("s", False)
    assert a.stance_counts == {} and a.stance_counts is not b.stance_counts


def test_a_mention_near_its_place_says_where_in_words():
    from claims.types import PRECISION_NEAR, PRECISION_PROVINCE

    suran = Place("gn:1", "Suran", "town")

    def near(qualifier, precision=PRECISION_NEAR):
        return Mention(suran, "s", 1, "asserts", "control", precision=precision, qualifier=qualifier).near

    assert [near(q) for q in ("near", "road to", "north of", "outskirts of", "northern", "northern districts",
                              "countryside", "southern countryside", "25 km west of"[3:], "road between", None)] == [
        "near Suran", "road to Suran", "north of Suran", "outskirts of Suran", "northern Suran",
        "northern districts of Suran", "Suran countryside", "southern Suran countryside", "west of Suran",
        "road linking Suran", "near Suran"]
    assert Mention(suran, "s", 1, "asserts", "control").near is None  # about the town itself
    assert near(None, PRECISION_PROVINCE) is None  # a province is a place of its own
