"""Figures, stance, attribution, echoes and contested claims: each rule with a case it must catch and
one it must leave alone. Places come from the gazetteer built once per run (tests/conftest.py)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claims
from claims import Item, assess, classify_event, classify_stance, extract, find_attribution, find_figures, originator, split_sentences


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    cache = Path(os.environ.get("WIREDESK_CACHE") or tmp_path_factory.mktemp("gz"))
    return claims.Gazetteer.load(cache)


def figs(sentence: str) -> list[tuple]:
    return [(f.value, f.what) for f in find_figures(sentence)]


def run(gaz, text: str, title: str = "", outlet: str = "Wire", published: str = "2026-03-02T08:00:00Z"):
    item = Item(guid=text[:20], title=title, text=text, outlet=outlet, published=published)
    return [replace(m, outlet=outlet, published=published) for m in extract(item, gaz)]


# -- figures ---------------------------------------------------------------------------------------

def test_at_least_and_around_with_what_they_count():
    assert figs("At least 300 militants were killed near the town, the army said.") == [(300, "killed")]
    assert figs("Around 2,000 people fled overnight.") == [(2000, "displaced")]


def test_numbers_in_words_and_scales():
    assert figs("Two million people have been displaced since the war began.") == [(2_000_000, "displaced")]
    assert figs("Around 1.5 million people are trapped in the city.") == [(1_500_000, "people")]
    assert figs("Thirteen soldiers were killed in the attack.") == [(13, "killed")]


def test_vague_amounts_keep_a_range_and_no_value():
    (dozens,) = find_figures("Dozens of soldiers were killed when fighters overran the base.")
    assert dozens.value is None and dozens.what == "killed" and dozens.low < dozens.high


def test_the_verb_right_before_a_number_governs_it():
    assert figs("Airstrikes hit a market, killing at least 14 civilians and wounding 40 others.") == [
        (14, "killed"), (40, "wounded")]
    assert figs("A drone strike killed 21 people and injured dozens.")[0] == (21, "killed")


def test_missing_is_not_captured():
    assert figs("At least 45 soldiers died, and 17 others were missing.") == [(45, "killed"), (17, "missing")]
    assert figs("Police arrested 20 people accused of spying.") == [(20, "captured")]


def test_captured_places_and_materiel_are_not_prisoners():
    assert figs("The factions also captured two checkpoints on the road to Morek.") == []
    assert figs("Its fighters had captured two battalion bases near Kyaukphyu.") == []
    assert figs("The army said it captured three tanks.") == [(3, "tanks")]
    assert figs("Rebels captured 12 soldiers near the town.") == [(12, "captured")]
    assert figs("Gunmen abducted 30 schoolchildren from a village.") == [(30, "captured")]


def test_years_dates_distances_are_not_figures():
    assert figs("The town has been under blockade since 2022.") == []
    assert figs("Two million people have been displaced since December 2023.") == [(2_000_000, "displaced")]
    assert figs("Troops advanced to within 15 km of the town, where 3 people were killed.") == [(3, "killed")]
    assert figs("The war has killed more than 150,000 people since 2014.") == [(150_000, "killed")]


# -- stance and attribution -------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, stance", [
    ("Rebel fighters have entered the northern districts of Morek, a local official said.", "asserts"),
    ("The defence ministry denied reports that rebels had entered Morek.", "denies"),
    ("Opposition channels claimed that the garrison had left the town of Kessa.", "reports"),
    ("Opposition media reported on Tuesday that rebels had captured Saraqib.", "reports"),
    ("The army insisted it still held the town.", "denies"),
    ("Residents said the army had shelled the market.", "asserts"),
    # a named source's statement about its own side is asserted by that source (DESIGN §3: "said"
    # by a named source); relaying stays for hedged or unnamed claims
    ("The SDF said it had restored control of Dhiban.", "asserts"),
    ("Resistance forces say they hold Lashio", "asserts"),
    ("Hospitals in Goma said they had received more than 700 wounded.", "asserts"),
    ("Rebels claimed they had entered Morek.", "reports"),
    ("Some media said the garrison had left Kessa.", "reports"),
    # An outlet's own look: what it has not seen is no support for the claim.
    ("We have seen no evidence of fighting inside the city.", "denies"),
    ('"Our units remain in their positions in Kafr Zita," a military source said.', "denies"),
    ("Our correspondent says she can hear artillery to the north but has seen no fighting inside Hama.", "denies"),
])
def test_stance_cues(sentence, stance):
    assert classify_stance(sentence) == stance


@pytest.mark.parametrize("sentence, source", [
    ("Rebels have entered Valdora, a local official said.", "a local official"),
    ("At least 9 people were killed, according to local activists.", "local activists"),
    ("The Syrian Observatory reported that 37 fighters were killed.", "The Syrian Observatory"),
    # a headline's label before a colon is not part of the speaker
    ("Summary: army says it has retaken Tell Qasra", "army"),
    ("Live updates: the defence ministry said troops entered Morek.", "the defence ministry"),
])
def test_attribution_forms(sentence, source):
    assert find_attribution(sentence) == source


def test_no_attribution_in_a_plain_statement():
    assert find_attribution("Heavy shelling hit the town overnight.") is None


@pytest.mark.parametrize("sentence", [
    "Fighting was also reported on the outskirts of Taiz, where government forces said they had repelled an attack.",
    "Heavy shelling was reported near Kessa.",
    "Two explosions were heard and casualties were reported in the market.",
])
def test_passive_report_names_no_source(sentence):
    assert find_attribution(sentence) is None


def test_active_report_still_names_its_source():
    assert find_attribution("State television reported heavy shelling near Kessa.") == "State television"


def test_denial_in_the_next_sentence_led_by_a_speaker(gaz):
    ms = run(gaz, "Rebel fighters have entered Aleppo's northern districts, a commander said on Monday. "
                  "The defence ministry denied that its troops had withdrawn.")
    stances = {(m.sentence_index, m.stance) for m in ms if m.place.country_code == "SY"}
    assert (1, "asserts") in stances and (2, "denies") in stances


def test_a_placeless_sentence_without_denial_does_not_deny(gaz):
    ms = run(gaz, "Rebel fighters have entered Aleppo, a commander said on Monday. "
                  "The defence ministry said its troops were regrouping.")
    assert all(m.stance != "denies" for m in ms)


@pytest.mark.parametrize("sentence, event", [
    ("The RSF claimed it had cleared the camp of army-allied fighters.", "control"),
    ("Troops cleared the northern villages of militants on Sunday.", "control"),
    ("Workers cleared the road of debris after the storm.", "other"),
    ("Crews cleared rubble from the market.", "other"),
])
def test_clearing_a_place_of_fighters_is_control(sentence, event):
    assert classify_event(sentence, ()) == event


def test_a_denial_of_the_sentence_s_own_accusation_does_not_deny_the_sentence_before(gaz):
    ms = run(gaz, "Thousands of people fled towards Goma in Congo, residents said. "
                  "Kinshasa accused Kigali of sending troops to fight alongside the rebels, which Rwanda denied.")
    assert all(m.stance != "denies" for m in ms)
    # the same denial as a sentence of its own is about the sentence before
    ms = run(gaz, "Thousands of people fled towards Goma in Congo, residents said. Rwanda denied it.")
    assert any(m.sentence_index == 2 and m.stance == "denies" and m.place.name == "Goma" for m in ms)


def test_denial_in_a_second_clause(gaz):
    ms = run(gaz, "Russian bloggers alleged that assault units had reached the outskirts of Kharkiv, "
                  "a claim Kyiv rejected.")
    kharkiv = {m.stance for m in ms if m.place.country_code == "UA"}
    assert kharkiv == {"reports", "denies"}


def test_next_sentence_denial_lands_on_the_main_place_not_its_locator(gaz):
    ms = run(gaz, "Russia's defence ministry claimed its forces had captured Kostiantynivka near Kramatorsk. "
                  "Ukraine's General Staff dismissed the claim.")
    denied = {m.place.name for m in ms if m.stance == "denies"}
    assert denied and all("Kramatorsk" not in name for name in denied)


def test_follow_up_about_the_town_attaches_to_it(gaz):
    ms = run(gaz, "Resistance fighters said they had taken full control of Lashio in Myanmar. "
                  "Residents said junta airstrikes on the town killed at least eight civilians.")
    assert any(m.sentence_index == 2 and (8, "killed") in [(f.value, f.what) for f in m.numbers] for m in ms)


def test_follow_up_about_the_city_attaches_to_the_town_not_to_its_province(gaz):
    ms = run(gaz, "Syrian troops recaptured Morek, a town in Hama province, the army said. "
                  "Residents said soldiers were deployed across the town.")
    assert [m.place.name for m in ms if m.sentence_index == 2] == ["Morek"]


def test_follow_up_about_the_town_may_come_two_sentences_later(gaz):
    ms = run(gaz, "Resistance fighters said they had taken full control of Lashio in Myanmar. "
                  "The junta has not commented. "
                  "Residents said junta airstrikes on the town killed at least eight civilians.")
    assert [(m.place.name, [(f.value, f.what) for f in m.numbers]) for m in ms if m.sentence_index == 3] == [
        ("Lashio", [(8, "killed")])]


def test_follow_up_about_the_town_three_sentences_later_is_not_attached(gaz):
    ms = run(gaz, "Resistance fighters said they had taken full control of Lashio in Myanmar. "
                  "The junta has not commented. Talks are planned. "
                  "Residents said junta airstrikes on the town killed at least eight civilians.")
    assert not [m for m in ms if m.sentence_index == 4]


def test_follow_up_is_not_attached_when_two_towns_came_before(gaz):
    ms = run(gaz, "Fighters entered Saraqib and Morek in Syria, residents said. "
                  "Residents said soldiers were deployed across the town.")
    assert not [m for m in ms if m.sentence_index == 2]


# -- echoes, contested ------------------------------------------------------------------------------

def test_originator_normalises_echoes():
    assert originator("the Gaza health ministry") == originator("The health ministry in Gaza") == "health ministry"
    assert originator("The Defence Ministry") == originator("the defence ministry")
    assert originator("a local official") != originator("the defence ministry")


def test_three_outlets_relaying_one_ministry_count_one_originator(gaz):
    ms = []
    for outlet in ("Wire A", "Wire B", "Wire C"):
        ms += run(gaz, "At least 18 people were killed in an Israeli strike on Khan Younis in Gaza, "
                       "the defence ministry said.", outlet=outlet)
    verdict = assess([m for m in ms if m.event == "casualties"])
    assert verdict.outlets == 3 and verdict.originators == 1 and not verdict.contested


def test_contested_by_opposite_stances_across_outlets(gaz):
    ms = run(gaz, "Rebels entered Aleppo in Syria on Monday, a commander said.", outlet="Wire A")
    ms += run(gaz, "The defence ministry in Syria denied that rebels had entered Aleppo.", outlet="Wire B")
    control = [m for m in ms if m.event == "control"]
    verdict = assess(control)
    assert verdict.contested and verdict.stance_counts == {"asserts": 1, "denies": 1}


def test_contested_by_figures_on_one_day_not_across_days(gaz):
    a = run(gaz, "At least 300 people were killed in El Fasher in Sudan, local monitors said.", outlet="A")
    b = run(gaz, "Around 2,000 people were killed in El Fasher in Sudan, the health ministry said.", outlet="B")
    assert assess([*a, *b]).contested
    later = [replace(m, published="2026-03-09T08:00:00Z") for m in b]
    assert not assess([*a, *later]).contested
    close = run(gaz, "At least 330 people were killed in El Fasher in Sudan, the health ministry said.", outlet="C")
    assert not assess([*a, *close]).contested


def who(sentence: str) -> list[tuple]:
    return [(f.value, f.who, f.what) for f in find_figures(sentence)]


def test_a_count_of_people_says_who_was_counted_when_the_copy_does():
    assert who("The directorate said 27 civilians wounded by shelling were being treated.") == [(27, "civilians", "wounded")]
    assert who("The strike killed 14 civilians and wounded 40, medics said.") == [
        (14, "civilians", "killed"), (40, None, "wounded")]
    assert who("The monitor counted 118 government soldiers and 134 rebels killed.") == [
        (118, "soldiers", "killed"), (134, "fighters", "killed")]
    assert who("Five civilians, among them a woman and a child, were injured.") == [(5, "civilians", "wounded")]
    assert who("At least 300 people were killed, the monitor said.") == [(300, None, "killed")]
    # A displacement counts civilians whatever the noun; a head count is its own "what".
    assert who("Around 20,000 residents fled the town.") == [(20_000, None, "displaced")]


def test_figures_for_different_groups_are_two_counts_not_a_conflict(gaz):
    a = run(gaz, "The health directorate said 27 civilians were wounded in Mhardeh in Syria.", outlet="A")
    b = run(gaz, "A surgeon said the hospital had treated more than 200 wounded from Mhardeh in Syria.", outlet="B")
    verdict = assess([*a, *b])
    assert not verdict.contested
    assert sorted(r.counted for r in verdict.figures) == ["civilians wounded", "wounded"]
    assert "27 civilians wounded" in verdict.summary and "200 wounded" in verdict.summary


def test_a_part_above_another_sources_whole_is_a_conflict(gaz):
    whole = run(gaz, "Around 300 people have been killed in Hama in Syria, the monitor said.", outlet="A")
    part = run(gaz, "The ministry said more than 1,000 militants had been killed in Hama in Syria.", outlet="B")
    verdict = assess([*whole, *part])
    assert verdict.contested and verdict.contest_reasons == ("fighters killed: 1,000 vs 300 killed in all on 2026-03-02",)
    smaller = run(gaz, "The ministry said 120 militants had been killed in Hama in Syria.", outlet="B")
    assert not assess([*whole, *smaller]).contested
    same_group = run(gaz, "Around 300 militants have been killed in Hama in Syria, the monitor said.", outlet="C")
    assert assess([*same_group, *part]).contest_reasons == ("fighters killed: 300 vs 1,000 on 2026-03-02",)


@pytest.mark.parametrize("line, source", [
    ("Observatory: 74 killed on first day of fighting", "Observatory"),
    ("Defence Ministry: reports of terrorists entering Kafr Zita are false", "Defence Ministry"),
    ("Hama Governor: life normal in the city", "Hama Governor"),
    ("Analysis: why Kafr Zita matters", None),  # a label that names no source
    ("Kafr Zita: the town is calm", None),  # nor does a place
    ("Kafr Zita: rebels claim entry", "rebels"),  # the speaker after a place's label
    ('The army said: "We hold Kafr Zita."', "The army"),
])
def test_a_headline_names_its_source_before_a_colon(line, source):
    assert find_attribution(line) == source


def test_a_short_name_is_the_one_full_name_of_its_kind_in_the_claim(gaz):
    # The headline's "Observatory" and the text's "the Orontes Observatory for Human Rights" are one
    # source: its latest toll is the best figure, not the median of "two sources".
    ms = run(gaz, "At least 74 people were killed in Hama in Syria on the first day, the Orontes Observatory for "
                  "Human Rights said.", title="Observatory: 74 killed in Hama", outlet="Ledger",
             published="2026-11-19T20:00:00Z")
    ms += run(gaz, "At least 412 people have been killed in Hama in Syria since Thursday, the Orontes Observatory "
                   "for Human Rights said.", outlet="Ledger", published="2026-11-21T18:00:00Z")
    verdict = assess([m for m in ms if m.event == "casualties"])
    assert verdict.originators == 1
    (killed,) = verdict.figures
    assert (killed.best, killed.rule) == (412, "only report")
    # With two observatories named in full, "the Observatory" stays a source of its own.
    other = run(gaz, "The Levant Observatory said 300 people were killed in Hama in Syria.", outlet="Wire",
                published="2026-11-21T18:00:00Z")
    assert assess([m for m in [*ms, *other] if m.event == "casualties"]).originators == 3


@pytest.mark.parametrize("sentence, source", [
    # The headline's first speaker ("claim" a headline's verb); its clause of its own names Damascus.
    ("Rebels claim Kafr Zita; Damascus says they have not even reached the town", "Rebels"),
    ("Damascus says they have not even reached the town", "Damascus"),
    ("the governor calls this \"fabricated\"", "the governor"),
    # Who was told follows "told": the trailing speaker was lost.
    ("Rebels entered Kafr Zita, a local official told Levant Wire.", "a local official"),
    ('"The terrorists have not even reached Kafr Zita," the governor told NNA on Saturday.', "the governor"),
    ("The army dismissed the claim that rebels had entered Kafr Zita.", None),
    ("Rebels entered Kafr Zita, a claim the army denied.", None),
    ("A military source on Thursday denied the reports about rebels in Kafr Zita.", "A military source"),
    ("The Observatory also said four soldiers were killed in Kafr Zita.", "The Observatory"),
    ("The ministry has described reports of a withdrawal from Kafr Zita as false and said units held.", "The ministry"),
    ("BEIRUT — Two days after rebels first said they had entered Kafr Zita, the town remains contested.", None),
    ('"We entered Kafr Zita," Hassan Tarif, a spokesman, said in a voice message sent to journalists.', None),
    ("The committee, an alliance of aid groups, said more than 50,000 people had been displaced.", None),
    ('They were holding them "according to the rules of war", the commander in Kafr Zita said.',
     "the commander in Kafr Zita"),
    ("Competing claims over drone attack on Kafr Zita airbase", None),
    ("Rebels said they had taken Kafr Zita, the first gain claimed in an offensive launched overnight.", "Rebels"),
])
def test_attributions_name_a_speaker_not_the_words_around_one(sentence, source):
    assert find_attribution(sentence) == source


# -- robustness -----------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=80), text=st.lists(st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzAHKMSD .,;:'\"-—0123456789\né", max_size=12),
    st.sampled_from(["Aleppo", " killed ", " denied ", " the town of ", " at least ", "Hama", " said",
                     " province", "Moscow", " near ", ". This was denied. ", " dozens of "])), max_size=40).map("".join))
def test_extract_never_raises_and_mentions_quote_input_sentences(gaz, title, text):
    sentences = set(split_sentences(text)) | ({title} if title else set())
    for m in extract(Item(guid="x", title=title, text=text), gaz):
        assert m.sentence in sentences
        assert m.stance in claims.STANCES and m.event in claims.EVENTS
