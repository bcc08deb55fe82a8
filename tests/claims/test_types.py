"""The shared data types cross process boundaries (worker processes pickle what they extract for
the one writer): a pickled value must come back equal, hashable and still frozen."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from claims import Figure, Item, Mention, Place


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
