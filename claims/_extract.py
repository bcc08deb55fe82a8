"""From an item to mentions: per sentence, its places, event, stance, figures and attribution."""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from ._gazetteer import DEMONYMS, Gazetteer
from ._places import _CUE_NOUN_WORDS, Context, Found, dateline_end, find_places, runs_of
from ._text import last_word_rules_out, marks, marks_before_space, matches_from, split_sentences, translated
from .types import PRECISION_COUNTRY, PRECISION_EXACT, PRECISION_NEAR, Figure, Item, Mention, Place

# -- events ----------------------------------------------------------------------------------------

_EVENT_CUES = [
    ("casualties", r"\b(?:killed|kills|killing|dead|deaths?|died|die|dying|wounded|injured|injuring|injuries|"
                   r"casualt(?:y|ies)|death toll|toll|bodies|massacre|slain|lost their lives)\b"),
    ("control", r"\b(?:entered|enter|enters|entering|entry|captured?|captures|capturing|seized?|seizes|seizing|"
                r"took (?:full |complete )?control|take (?:full |complete )?control|takes control|taken control|"
                r"in control|under (?:the )?control|control (?:of|over)|controls|took over|taken over|fell to|fall of|"
                r"falls to|has fallen|had fallen|not fallen|retook|retake|retaken|recaptured?|liberated?|"
                r"withdrew|withdrawn|withdrawal|pulled out|stormed?|storming|overran|overrun|in the hands of|"
                r"in our hands|restored? (?:security|control)|reached|have not even reached|inside|breach(?:ed)?|"
                r"push(?:ed)? into|advance(?:d)? into|hold|holds|holding|held|had left|has left|have left|abandoned|"
                r"remains? in (?:their|our) positions|"
                r"clear(?:ed|ing)? (?:the )?[\w-]+(?: [\w-]+)? of (?:[\w-]+ ){0,3}?(?:fighters|militants|rebels|troops|"
                r"forces|insurgents|terrorists|gunmen|soldiers|militias?|jihadists))\b"),
    ("attack", r"\b(?:shell(?:ed|ing|s)?|airstrikes?|air strikes?|air raids?|strikes?|struck|bomb(?:ed|ing|s)?|"
               r"drones? (?:attack|strike)|drones?|missiles?|rockets?|artillery|mortar|attack(?:ed|s)?|"
               r"assault|offensive|fighting|clashes|pounded|pound|targeted|targeting|hit|hits|ambush(?:ed)?|"
               r"raid(?:ed)?|fire|gunfire|explosions?|blasts?)\b"),
    ("displacement", r"\b(?:fled|flee|fleeing|displaced|displacement|refugees?|exodus|evacuat(?:ed|ion|ing)|"
                     r"homeless|sheltering|shelters?|uprooted|left (?:the|their) (?:city|town|village|area|homes?))\b"),
    ("movement", r"\b(?:reinforcements?|convoys?|columns?|advancing|advance|advanced|moving|moved|heading|"
                 r"headed|deployed|redeploy(?:ed|ing|ment|s)?|deployment|retreat(?:ed|ing|s)?|"
                 r"mobili[sz](?:e|ed|es|ing|ation)|troop build-?up|massing|en route)\b"),
]
_EVENTS = {name: re.compile(pattern, re.I) for name, pattern in _EVENT_CUES}


def _for_lowercase(pattern: re.Pattern) -> re.Pattern:
    """A case-insensitive pattern of lowercase words as a case-sensitive one, to search lowercased
    text with: several times cheaper than re.I alternations (the same matches)."""
    assert not re.search(r"[A-Z]", re.sub(r"\\.|\(\?P[<=]", "", pattern.pattern)), pattern.pattern
    return re.compile(pattern.pattern)


_EVENTS_LOWER = {name: _for_lowercase(pattern) for name, pattern in _EVENTS.items()}
# Words that any cue of an event contains: a set intersection decides which regexes can match at
# all, so most sentences run one or two of them instead of five (extraction must do > 3 MB/s).
_EVENT_WORDS = {
    "casualties": {"killed", "kills", "killing", "dead", "death", "deaths", "died", "die", "dying", "wounded",
                   "injured", "injuring", "injuries", "casualty", "casualties", "toll", "bodies", "massacre",
                   "slain", "lives"},
    "control": {"entered", "enter", "enters", "entering", "entry", "capture", "captured", "captures", "capturing",
                "seize", "seized", "seizes", "seizing", "took", "take", "takes", "taken", "control", "controls",
                "over", "fell", "fall", "falls", "fallen", "retook", "retake", "retaken", "recapture", "recaptured",
                "liberate", "liberated", "withdrew", "withdrawn", "withdrawal", "pulled", "storm", "stormed",
                "storming", "overran", "overrun", "hands", "restore", "restored", "reached", "inside", "breach",
                "breached", "push", "pushed", "advance", "advanced", "hold", "holds", "holding", "held", "left",
                "abandoned", "clear", "cleared", "clearing", "remain", "remains"},
    "attack": {"shell", "shelled", "shelling", "shells", "airstrike", "airstrikes", "air", "strike", "strikes",
               "struck", "bomb", "bombed", "bombing", "bombs", "drone", "drones", "missile", "missiles", "rocket",
               "rockets", "artillery", "mortar", "attack", "attacked", "attacks", "assault", "offensive", "fighting",
               "clashes", "pounded", "pound", "targeted", "targeting", "hit", "hits", "ambush", "ambushed", "raid",
               "raided", "fire", "gunfire", "explosion", "explosions", "blast", "blasts"},
    "displacement": {"fled", "flee", "fleeing", "displaced", "displacement", "refugee", "refugees", "exodus",
                     "evacuated", "evacuation", "evacuating", "homeless", "sheltering", "shelter", "shelters",
                     "uprooted", "left"},
    "movement": {"reinforcement", "reinforcements", "convoy", "convoys", "column", "columns", "advancing", "advance",
                 "advanced", "moving", "moved", "heading", "headed", "deployed", "redeployed", "deployment", "troop",
                 "redeploy", "redeploying", "redeployment", "redeploys", "retreat", "retreated", "retreating", "retreats",
                 "massing", "route", "mobilise", "mobilize", "mobilised", "mobilized", "mobilises", "mobilizes", "mobilising",
                 "mobilizing", "mobilisation", "mobilization"},
}
_WORD = re.compile(r"[a-z]+")


# ASCII letters kept, every other byte a space: for ASCII text, splitting the translated bytes gives
# the words ``_WORD`` finds, about twice as fast (non-ASCII text takes the regex: "K".lower() is "k").
_NOT_LETTERS = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


def words_of(text: str) -> frozenset[str]:
    """The lowercase words of ``text`` that some cue of extraction looks for (``_VOCABULARY``): every
    use of a sentence's words asks whether words of those sets are among them, and a set of the few
    that are is cheaper to build and to test than one of every word (5% of extraction was spent there)."""
    lowered = text.lower()
    if lowered.isascii():
        return _VOCABULARY.intersection(lowered.encode().translate(_NOT_LETTERS).decode().split())
    return _VOCABULARY.intersection(_WORD.findall(lowered))


def _alone(pattern: re.Pattern, words: set[str]) -> frozenset[str]:
    """The cue words a pattern matches on their own: finding one among a sentence's words is a match
    without running the pattern; the other words only gate it (they occur in phrase cues)."""
    return frozenset(w for w in words if (m := pattern.search(w)) and m.group(0) == w)


_WEAK_CONTROL = {"reached", "inside", "hold", "holds", "holding", "held"}
_RETREATS = {"retreat", "retreated", "retreating", "retreats"}
_EVENT_ALONE = {name: _alone(_EVENTS[name], words) for name, words in _EVENT_WORDS.items()}


# Per cue word, the events it decides alone and those whose regex it calls for: one intersection
# with the sentence's words replaces two set tests per event.
_EVENTS_DECIDED: dict[str, frozenset[str]] = {
    w: frozenset(n for n in _EVENT_WORDS if w in _EVENT_ALONE[n]) for ws in _EVENT_WORDS.values() for w in ws}
_EVENTS_GATED: dict[str, frozenset[str]] = {
    w: frozenset(n for n in _EVENT_WORDS if w in _EVENT_WORDS[n]) for ws in _EVENT_WORDS.values() for w in ws}
_ANY_EVENT_WORD = frozenset(_EVENTS_DECIDED)


# The cue words that decide nothing alone occur in phrases ("fell to", "took over", "pulled out"): per
# event, what of each such phrase must be in the sentence for its pattern to match through that word.
# Every alternative of the pattern holding the word holds one of these (literal spaces, as in the
# pattern). A word not listed is its own (the pattern is searched whenever it occurs). The patterns
# have no literal prefix and are tried at every character (~30,000 instructions a search), and most
# such words occur outside the phrases ("night fell on", "over the weekend", "left five dead").
_EVENT_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    name: {word: (word,) for word in _EVENT_WORDS[name] - _EVENT_ALONE[name]} for name in _EVENT_WORDS}
_EVENT_PHRASES["casualties"]["lives"] = ("lost their lives",)
_EVENT_PHRASES["attack"]["air"] = ("air strike", "air raid")
_EVENT_PHRASES["displacement"]["left"] = ("left the", "left their")
_EVENT_PHRASES["movement"].update({"route": ("en route",), "troop": ("troop build",)})
_EVENT_PHRASES["control"].update({
    "advance": ("advance into",), "advanced": ("advanced into",), "push": ("push into",), "pushed": ("pushed into",),
    "fall": ("fall of",), "falls": ("falls to",), "fell": ("fell to",), "fallen": ("has fallen", "had fallen", "not fallen"),
    "hands": ("the hands of", "our hands"), "remain": ("remain in",), "remains": ("remains in",), "left": ("had left", "has left", "have left"), "pulled": ("pulled out",),
    "over": ("took over", "taken over"), "restore": ("restore security", "restore control"),
    "restored": ("restored security", "restored control"),
    "take": ("take control", "take full", "take complete"), "takes": ("takes control",),
    "taken": ("taken control", "taken over"), "took": ("took control", "took full", "took complete", "took over"),
    "control": ("took control", "take control", "takes control", "taken control", "full control", "complete control",
                "in control", "under control", "the control", "control of", "control over", "restore control",
                "restored control"),
    "clear": (" of ",), "cleared": (" of ",), "clearing": (" of ",),
})


def _phrase_there(name: str, cues: frozenset[str], lowered: str) -> bool:
    """Can ``name``'s pattern match ``lowered`` through one of the cue words (none of which decides
    ``name`` alone)? Only if a phrase of ``_EVENT_PHRASES`` holding one of them occurs."""
    phrases = _EVENT_PHRASES[name]
    for word in cues:
        for phrase in phrases.get(word, ()):
            if phrase in lowered:
                return True
    return False


def classify_event(sentence: str, figures: tuple[Figure, ...], words: frozenset[str] | None = None) -> str:
    words = words if words is not None else words_of(sentence)
    cues = words & _ANY_EVENT_WORD
    if not cues:
        return "other"
    hits: set[str] = set()
    gated: set[str] = set()
    for word in cues:
        hits.update(_EVENTS_DECIDED[word])
        gated.update(_EVENTS_GATED[word])
    lowered = ""
    for name in gated - hits:
        lowered = lowered or sentence.lower()
        if _phrase_there(name, cues, lowered) and _EVENTS_LOWER[name].search(lowered):
            hits.add(name)
    return decide_event(hits, figures, sentence, words, lowered)


def decide_event(hits: set[str], figures: tuple[Figure, ...], sentence: str, words: frozenset[str],
                 lowered: str = "") -> str:
    """The event of a sentence (``words``: its ``words_of``; ``lowered``: it lowercased, or "" when not
    made yet) whose cue patterns matched for the events ``hits``. Cue phrases that claim no event are
    discounted first: control where every control cue is in a phrase of ``_CONTACTED``,
    ``_LEFT_HOMES`` or ``_HYPOTHETICAL_CONTROL``; displacement where every displacement cue is armed
    men fleeing ("government troops fled Kadugli"), which is a movement (a retreat). Each of those
    patterns is searched only where a word it needs is in the sentence."""
    control_text = ""
    if "control" in hits and not words.isdisjoint(_DISCOUNTS_CONTROL):
        lowered = lowered or sentence.lower()
        control_text = _without_claimless_control(lowered, words)
        if control_text != lowered and not _EVENTS_LOWER["control"].search(control_text):
            hits.discard("control")
    if "displacement" in hits and not words.isdisjoint(_FLEE_WORDS):
        lowered = lowered or sentence.lower()
        if _flights_are_retreats(lowered) and all(
                m.group(0) in _FLEE_WORDS for m in _EVENTS_LOWER["displacement"].finditer(lowered)):
            hits.discard("displacement")
            hits.add("movement")
    if "casualties" in hits and (figures or "control" not in hits):
        return "casualties"
    if "displacement" in hits and any(f.what == "displaced" for f in figures):
        return "displacement"
    if "control" in hits and "movement" in hits:
        lowered = lowered or sentence.lower()
        if all(m.group(0) in _WEAK_CONTROL for m in _EVENTS_LOWER["control"].finditer(control_text or lowered)) and any(
                m.group(0) not in _RETREATS for m in _EVENTS_LOWER["movement"].finditer(lowered)):
            # "a convoy reached Timbuktu", "reinforcements held near Kupiansk" (but "our men are inside
            # Morek and the army is retreating" is control: a retreat says who holds the town)
            return "movement"
    # An if-chain, not a loop over a tuple of names: compiled, the tuple is built anew for each loop.
    if "control" in hits:
        return "control"
    if "casualties" in hits:
        return "casualties"
    if "displacement" in hits:
        return "displacement"
    if "attack" in hits:
        return "attack"
    if "movement" in hits:
        return "movement"
    return "other"


# Phrases with a control cue that claim no control: a person contacted ("residents reached by
# telephone", "Residents of Nyala reached by the Darfur Desk"), people leaving their own homes ("many
# families had left their homes": displacement), and control in a hypothetical ("Control of the
# bridge would open the road", "the army could retake Kessa", "if rebels capture Kessa, ...").
# Spaced by single spaces, as ``split_sentences`` leaves a sentence: each match then holds one of the
# phrases after it, which are looked for first.
_CONTACTED = re.compile(
    r"\breached by (?:tele)?phone\b|\bwhen reached\b|\bcould not be reached\b|\breached for comment\b|"
    r"\b(?:residents?|witness(?:es)?|people|civilians|sources?|officials?|doctors?|medics?|nurses?|relatives|"
    r"activists?|journalists?|survivors?|families)\b[^,.;:]{0,40}?\breached by\b"
)
_CONTACTED_PHRASES: tuple[str, ...] = ("reached by", "when reached", "be reached", "reached for")
_LEFT_HOMES = re.compile(r"\b(?:had|has|have) left (?:their|his|her) (?:homes?|houses?|villages?)\b")
_LEFT_HOMES_PHRASES: tuple[str, ...] = ("left their", "left his", "left her")
_MODALS = r"(?:would|could|might|may|will|can)"
_HYPOTHETICAL_CONTROL = re.compile(
    # "Control of the town would open", "The capture of Kessa could cut": the control phrase is the
    # subject of a modal (the words between are its noun phrase: no verb, conjunction or comma).
    r"\b(?:(?:full\s+|complete\s+)?control\s+(?:of|over)|(?:fall|capture|recapture|seizure|loss)\s+of|capturing|"
    r"seizing|storming|entering)\s+(?:(?!(?:and|but|or|said|says|after|as|while|when|then|had|has|have|was|were|is|"
    r"are|they|it|he|she|we)\b)[\w'’-]+\s+){0,4}?" + _MODALS + r"\b|"
    # "the army could retake Kessa", "rebels may take control of Kessa"
    r"\b" + _MODALS + r"(?:\s+not|\s+never)?(?:\s+\w+)?\s+(?:(?:take|seize|regain|gain|assume|lose)\s+"
    r"(?:full\s+|complete\s+)?control\s+(?:of|over)|capture|seize|enter|storm|retake|recapture|overrun)\b|"
    # "if rebels capture Kessa", "unless the army retakes the hill"
    r"\b(?:if|unless)\b[^,;:—–]*"
)
_HYPOTHETICAL_WORDS = frozenset({"would", "could", "might", "may", "will", "can", "if", "unless"})
_DISCOUNTS_CONTROL = _HYPOTHETICAL_WORDS | {"reached", "left"}
_FLEE_WORDS = frozenset({"fled", "flee", "fleeing"})
# Armed men right before a flee word: "government troops fled", "its forces had \"fled\"".
_RETREAT_BEFORE = re.compile(
    r"\b(?:troops|forces|soldiers|units|fighters|militants|rebels|army|garrison|defenders|gunmen|insurgents|"
    r"militias?|militiamen|jihadists|terrorists|attackers|assailants)\s+(?:had\s+|have\s+|has\s+)?(?:\w+\s+)?"
    r"[\"“'‘]?$"
)
_ARMED = frozenset({"troops", "forces", "soldiers", "units", "fighters", "militants", "rebels", "army", "garrison",
                    "defenders", "gunmen", "insurgents", "militia", "militias", "militiamen", "jihadists", "terrorists",
                    "attackers", "assailants"})


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _without_claimless_control(lowered: str, words: frozenset[str]) -> str:
    """The sentence with the phrases of ``_CONTACTED``, ``_LEFT_HOMES`` and ``_HYPOTHETICAL_CONTROL``
    blanked out, each searched only when a word or phrase each of its matches holds is there."""
    text = lowered
    if "reached" in words and any(phrase in text for phrase in _CONTACTED_PHRASES):
        text = _CONTACTED.sub(_blank, text)
    if "left" in words and any(phrase in text for phrase in _LEFT_HOMES_PHRASES):
        text = _LEFT_HOMES.sub(_blank, text)
    if not words.isdisjoint(_HYPOTHETICAL_WORDS):
        text = _HYPOTHETICAL_CONTROL.sub(_blank, text)
    return text


def _flights_are_retreats(lowered: str) -> bool:
    """Is every flee word of the sentence ("fled", "flee", "fleeing") one armed men do
    (``_RETREAT_BEFORE`` right before it), and is there one? The pattern only where one of the last
    three words before it is of ``_ARMED``."""
    seen = False
    size = len(lowered)
    at = lowered.find("fle")
    while at >= 0:
        end = at + 3
        while end < size and _is_word_char(lowered[end]):
            end += 1
        if lowered[at:end] in _FLEE_WORDS and (at == 0 or not _is_word_char(lowered[at - 1])):
            # The pattern's armed word is among the last four words before the flee word (read from
            # the last 60 characters when five words are there).
            lo = max(0, at - 60)
            last = lowered[lo:at].rsplit(None, 4)
            if lo > 0 and len(last) < 5:
                last = lowered[:at].rsplit(None, 4)
            armed = False
            for word in last[-4:]:  # the word is followed by whitespace there: it ends a word of ``last``
                start = len(word)
                while start > 0 and _is_word_char(word[start - 1]):
                    start -= 1
                if word[start:] in _ARMED:
                    armed = True
            if not armed or not _RETREAT_BEFORE.search(lowered, 0, at):
                return False
            seen = True
        at = lowered.find("fle", end)
    return seen


# -- stance ----------------------------------------------------------------------------------------

_DENIAL = re.compile(
    r"\b(?:den(?:ied|ies|y|ying|ial)|dismiss(?:ed|es|ing)|reject(?:ed|s|ing)|refut(?:ed|es|ing)|"
    r"false|baseless|fabricat(?:ed|ion|ions)|no truth|not true|untrue|(?:are|were|all|but|outright|blatant|these|such|"
    r"spreading|pure|complete|the)\s+lies|disinformation|propaganda|"
    r"have not (?:even )?reached|has not (?:even )?reached|had not (?:even )?reached|did not (?:enter|reach)|"
    r"never (?:entered|reached)|not fallen|has not fallen|had not fallen|remains? in (?:our|army|government) hands|"
    r"remains? under (?:army|government|our) control|remains? in (?:their|our) positions|no (?:fighters|militants|terrorists|rebels) (?:were |had )?"
    r"(?:seen|entered|present)|categorically|nonsense|rumou?rs? (?:are|were) (?:false|baseless)|"
    r"no (?:damage|casualties) (?:was|were) (?:caused|reported)|life (?:is )?normal|calm|contradict(?:ed|s)?|"
    r"no evidence|seen no (?:fighting|fighters|sign|signs)|"
    r"still (?:holds?|held|controls?|controlled|in control))\b",
    re.I,
)
_RELAY = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|alleg(?:ed|es|edly|ation)|reportedly|purported(?:ly)?|unconfirmed|"
    r"some (?:media|outlets|reports|sources|accounts)|(?:opposition|rebel|partisan|pro-\w+) (?:media|channels|"
    r"outlets|accounts|bloggers|activists)|bloggers|rumou?rs?|said to be|could not be (?:independently )?"
    r"verified|not (?:be )?(?:independently )?verified|it was not possible to verify|according to unverified|"
    r"social media|circulat(?:ed|ing))\b",
    re.I,
)
# "He rejected the regime's description of its retreat as a 'redeployment'": rejecting how an event is
# described is not denying it (a denial elsewhere in the sentence still is).
_CHARACTERISATION = re.compile(
    r"\b(?:reject|dismiss|disput|refut|den[iy])\w*\s+(?:(?:the|its|their|his|her|this|that|any)\s+)?"
    r"(?:[\w-]+['’]s?\s+)?(?:description|characteri[sz]ation|portrayal|label(?:l?ing)?|framing|wording|"
    r"terminology|term|use\s+of\s+the\s+(?:word|term))\b",
    re.I,
)
# The nouns of _CHARACTERISATION: a sentence without one is not searched for it.
_CHARACTERISATION_WORDS = frozenset({"description", "characterisation", "characterization", "portrayal", "label",
                                     "labeling", "labelling", "framing", "wording", "terminology", "term", "word"})
# A follow-up sentence that denies the previous one without naming its place again.
_ANAPHORIC_DENIAL = re.compile(
    r"\b(?:den(?:ied|ies)|dismissed|rejected|refuted|contradicted|contradicts|disputed|disputes|false|baseless|"
    r"fabricated|fabrications?|no truth|untrue|have not (?:even )?reached|has not (?:even )?reached|still (?:holds?|held|controls?|in control))\b",
    re.I,
)
# "Kinshasa accused Kigali of sending troops, which Rwanda denied": the denial is of the sentence's
# own first clause, not of the sentence before.
_OWN_DENIAL = re.compile(r",\s+which\s+(?:[^,.;]*\s)?(?:den(?:ied|ies)|dismissed|rejected|refuted)\b", re.I)
# A placeless sentence that continues the previous one's story: "... killed at least eight civilians in
# the town", "The agency said 400,000 people had lived in the camp".
_ANAPHOR = re.compile(r"\b(?:the|that|this) (?:town|city|village|camp|area|district|base|airbase)\b", re.I)


# Words of _DENIAL and _RELAY; those the pattern matches on their own decide a stance without it
# (``_alone``); the phrases of several words gate the pattern (``_DENIAL_PHRASES``, ``_RELAY_PHRASES``).
_DENIAL_WORDS = {
    "denied", "denies", "deny", "denying", "denial", "dismissed", "dismisses", "dismissing", "rejected", "rejects",
    "rejecting", "refuted", "refutes", "refuting", "false", "baseless", "fabricated", "fabrication", "fabrications",
    "truth", "true", "untrue", "lies", "disinformation", "propaganda", "reached", "enter", "entered", "fallen",
    "remain", "remains", "seen", "present", "categorically", "nonsense", "rumour", "rumours", "rumor", "rumors",
    "damage", "casualties", "normal", "calm", "contradicted", "contradicts", "contradict", "still", "evidence",
}
_RELAY_WORDS = {
    "claim", "claimed", "claims", "claiming", "alleged", "alleges", "allegedly", "allegation", "reportedly",
    "purported", "purportedly", "unconfirmed", "some", "rumour", "rumours", "rumor", "rumors", "said", "verified",
    "verify", "circulated", "circulating", "social", "opposition", "rebel", "partisan", "pro",
    "bloggers",
}


Phrases = tuple[frozenset[str], tuple[tuple[tuple[str, ...], ...], ...]]


def _phrases(*phrases: str) -> Phrases:
    """The words a pattern's phrases need ("did not enter|reach": "did", "not" and one of "enter",
    "reach"; optional words left out): a sentence whose words meet none cannot match the phrases.
    With them, every phrase's last words, the rarest: a sentence with none of those is done at once."""
    needs = tuple(tuple(tuple(alternatives.split("|")) for alternatives in phrase.split()) for phrase in phrases)
    return frozenset(w for need in needs for w in need[-1]), needs


def _may_say(words: frozenset[str], phrases: Phrases) -> bool:
    last_words, needs = phrases
    if words.isdisjoint(last_words):
        return False
    # Compiled, ``w in words`` is a direct set lookup where ``isdisjoint`` was a method call per word
    # set (~530 instructions; most phrases fail at their first word).
    return any(all(any(w in words for w in alternatives) for alternatives in need) for need in needs)


# The phrases of _DENIAL and _RELAY of more than one word, for gating their searches (a single cue word
# there decides alone): searching for them whenever "said" or "still" occurred was most of stance's time.
_DENIAL_PHRASES = _phrases(
    "no truth", "not true", "not reached", "did not enter|reach", "never entered|reached", "not fallen",
    "remain|remains in our|army|government hands", "remain|remains under army|government|our control",
    "remain|remains in their|our positions",
    "no fighters|militants|terrorists|rebels seen|entered|present", "rumour|rumours|rumor|rumors are|were false|baseless",
    "no damage|casualties was|were caused|reported", "life normal", "no evidence", "seen no fighting|fighters|sign|signs",
    # "lies" the noun ("the reports are lies"), not the verb ("the airbase lies south-east of Saraqib")
    "are|were|all|but|outright|blatant|these|such|spreading|pure|complete|the lies",
    "still hold|holds|held|control|controls|controlled|in",
)
_RELAY_PHRASES = _phrases(
    "some media|outlets|reports|sources|accounts",
    "opposition|rebel|partisan|pro media|channels|outlets|accounts|bloggers|activists",
    "said to be", "not verified", "possible verify", "according unverified", "social media",
)
_ANAPHORIC_DENIAL_LOWER = _for_lowercase(_ANAPHORIC_DENIAL)
_ANAPHOR_LOWER = _for_lowercase(_ANAPHOR)
# A word each phrase of _ANAPHORIC_DENIAL needs (all among _DENIAL_WORDS, so ``words_of`` keeps them):
# a placeless sentence with none of them is not searched (the pattern has no literal prefix, and was
# tried at every character of every placeless sentence after a placed one: ~20,000 instructions).
_ANAPHORIC_DENIAL_WORDS = frozenset({"denied", "denies", "dismissed", "rejected", "refuted", "contradicted",
                                     "contradicts", "disputed", "disputes", "false", "baseless",
                                     "fabricated", "fabrication", "fabrications", "truth", "untrue", "reached", "still"})
# What every noun of _ANAPHOR contains ("airbase" contains "base"), looked for before its search.
_ANAPHOR_NOUNS: tuple[str, ...] = ("town", "city", "village", "camp", "area", "district", "base")


def _may_be_anaphor(lowered: str) -> bool:
    """False where ``_ANAPHOR_LOWER`` cannot match: ``lowered`` contains none of its nouns."""
    return any(noun in lowered for noun in _ANAPHOR_NOUNS)
_CHARACTERISATION_LOWER = _for_lowercase(_CHARACTERISATION)


def describes_only(denial: re.Pattern, lowered: str) -> bool:
    """Is every match of a ``denial`` pattern in ``lowered`` (a lowercased sentence) inside a rejected
    description (``_CHARACTERISATION``)?"""
    masked = _CHARACTERISATION_LOWER.sub(_blank, lowered)
    return masked != lowered and denial.search(masked) is None


_DENIAL_ALONE = _alone(_DENIAL, _DENIAL_WORDS)
_RELAY_ALONE = _alone(_RELAY, _RELAY_WORDS)
_DENIAL_LOWER = _for_lowercase(_DENIAL)
_RELAY_LOWER = _for_lowercase(_RELAY)


def classify_stance(sentence: str, words: frozenset[str] | None = None) -> str:
    words = words if words is not None else words_of(sentence)
    if (not words.isdisjoint(_DENIAL_ALONE) or (
            _may_say(words, _DENIAL_PHRASES) and _DENIAL_LOWER.search(sentence.lower()))) and (
            words.isdisjoint(_CHARACTERISATION_WORDS) or not describes_only(_DENIAL_LOWER, sentence.lower())):
        return "denies"
    if not words.isdisjoint(_RELAY_ALONE) or (
            _may_say(words, _RELAY_PHRASES) and _RELAY_LOWER.search(sentence.lower())):
        return "reports"
    return "asserts"


# -- attribution -----------------------------------------------------------------------------------

_SPEECH = (
    r"(?:said|says|say|told|reported|reports|announced|announces|claimed|claims|stated|states|confirmed|confirms|calls|"
    # "Rebels claim Morek" (a headline's verb), not "dismissed the claim" or "a claim the army denied"
    # (the lookbehinds after the word: tried only where "claim" is, not at every position)
    r"claim(?<!\bthe claim)(?<!\ba claim)(?<!\ban claim)(?<!\bits claim)(?<!\bthis claim)(?<!\bthat claim)"
    r"(?<!\btheir claim)|"
    r"denied|denies|deny|disputed|disputes|contradicted|contradicts|added|insisted|insists|alleged|alleges|wrote|posted|tweeted|declared|quoted|cited|"
    r"estimated|estimates|counted|documented|recorded|put the toll|put the number|warned)"
)
_SOURCE = r"((?:an?|the|\w+'s)?\s*[A-Za-z][\w'’\-\.]*(?:\s+(?:of|for|in|at|and)?\s*[A-Za-z][\w'’\-\.()]*){0,7}?)"
_ACCORDING = re.compile(r"\baccording to\s+(?P<src>[^,.;:\"“”]+?)(?=\s*(?:[,.;:\"“”]|$|\s+(?:who|which|that)\b))", re.I)
# ", a local official told Levant Wire.": who was told follows "told".
_TRAILING = re.compile(r",[\"”’]?\s+(?P<src>[^,\"“”]{2,80}?)\s+" + _SPEECH + r"(?:(?<=told)\s+\w[^,.;\"“”]{0,60}?)?"
                       r"(?:\s+(?:on|in|late|early|earlier|later|in a statement)\b[^.]*)?[.!?\"”]*$", re.I)
_INVERTED = re.compile(r",[\"”’]?\s+" + _SPEECH + r"\s+(?P<src>[^,.\"“”]{2,80})(?:,|\.|$)", re.I)
_LEADING = re.compile(r"^(?P<src>[^,\"“”]{2,80}?)\s+(?:has\s+|have\s+|had\s+)?" + _SPEECH + r"\b(?:\s+(?:that|on|in a statement))?", re.I)
_CLAUSE = re.compile(r"(?:^|[;:]\s+|\b(?:but|and|while|as|after|when)\s+)(?P<src>(?:the|a|an)\s+[^,;:\"“”]{2,60}?)\s+" + _SPEECH + r"\b", re.I)
_BAD_SOURCE_START = re.compile(r"^(?:it|this|that|there|they|he|she|we|i|you|who|which|what|there|here|some|residents? who)\b", re.I)
_GENERIC_SUBJECT = re.compile(
    r"\b(?:(?:rebel|fighter|troop|force|army|ministry|official|spokes(?:man|woman|person)|monitor|observator(?:y|ie)|"
    r"agenc(?:y|ie)|media|television|tv|channel|governor|commander|source|resident|witness(?:e)?|hospital|doctor|"
    r"medic|rescuer|team|committee|statement|centre|center|government|authorit(?:y|ie)|military|police|officer|"
    r"activist|group|alliance|operations room|correspondent|reporter|outlet|observer|analyst|diplomat|charit(?:y|ie)|"
    r"aid|un|united nations|who|red cross|red crescent|defence|defense|kremlin|pentagon|state|news|daily|wire|"
    r"directorate|council|leader|president|minister|mayor|chief|militar(?:y|ie)|faction|militant|insurgent)s?|"
    r"[A-Z][a-z]+ [A-Z][a-z]+|^[A-Z][a-z]{3,})\b",
)


_SPEECH_WORDS = {
    "according", "said", "says", "say", "told", "reported", "reports", "announced", "announces", "claimed", "claims",
    "claim",
    "stated", "states", "confirmed", "confirms", "denied", "denies", "deny", "disputed", "disputes", "contradicted",
    "contradicts", "calls", "added", "insisted", "insists", "alleged",
    "alleges", "wrote", "posted", "tweeted", "declared", "quoted", "cited", "estimated", "estimates", "counted",
    "documented", "recorded", "put", "warned",
}


# Each pattern with its twin for lowercased text, in the order they are tried (pairs, not a dict keyed
# by pattern: hashing a compiled pattern hashes its whole program, and was 4% of extraction).
_SPOKEN = tuple((p, _for_lowercase(p)) for p in (_ACCORDING, _TRAILING, _INVERTED))
_ACCORDING_LOWER = _SPOKEN[0][1]


def _search_according(lowered: str) -> re.Match[str] | None:
    """``_ACCORDING_LOWER.search(lowered)``, started where "according to" first occurs: the pattern
    opens with \b, which keeps the regex engine from skipping ahead to its words."""
    at = lowered.find("according to")
    return _ACCORDING_LOWER.search(lowered, at) if at >= 0 else None


_SUBJECT = tuple((p, _for_lowercase(p)) for p in (_LEADING, _CLAUSE))
_CLAUSE_LOWER = _SUBJECT[1][1]

# The words _CLAUSE's source may follow, besides the start or a ";" or ":".
_CLAUSE_OPENERS: tuple[str, ...] = ("but", "and", "while", "as", "after", "when")


def _search_clause(text: str) -> re.Match[str] | None:
    """``_CLAUSE_LOWER.search(text)``, tried only where a match can start: at the start, at a ";" or
    ":", or at one of ``_CLAUSE_OPENERS`` that starts a word and is followed by whitespace. The
    pattern opens with an alternation of those, which the regex engine tried at every character
    (~29,000 instructions a search)."""
    starts = [0]
    for mark in (";", ":"):
        at = text.find(mark)
        while at >= 0:
            starts.append(at)
            at = text.find(mark, at + 1)
    size = len(text)
    for word in _CLAUSE_OPENERS:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or not _is_word_char(text[at - 1])) and end < size and text[end].isspace():
                starts.append(at)
            at = text.find(word, at + 1)
    starts.sort()
    for at in starts:
        match = _CLAUSE_LOWER.match(text, at)
        if match is not None:
            return match
    return None


def find_attribution(sentence: str, words: frozenset[str] | None = None) -> str | None:
    words = words if words is not None else words_of(sentence)
    colon = sentence.find(":", 0, 60)
    if colon > 2:
        label = _label_source(sentence, colon)
        if label is not None:
            return label
    if not words & _SPEECH_WORDS:
        return None
    comma = "," in sentence  # _TRAILING and _INVERTED start at a comma, _ACCORDING needs its word
    # Searched in lowercased text (same offsets when lowercasing keeps the length, else the re.I
    # patterns run on the original), the source taken from the original.
    lowered = sentence.lower()
    fast = len(lowered) == len(sentence)
    text = lowered if fast else sentence
    for pattern, lowercase in _SPOKEN:
        if not comma if pattern is not _ACCORDING else "according" not in words:
            continue
        if fast and pattern is _ACCORDING:
            match = _search_according(text)
        else:
            match = (lowercase if fast else pattern).search(text)
        if match:
            source = _clean_source(sentence[match.start("src") : match.end("src")])
            if source and not (pattern is _INVERTED and _FINITE_VERB.search(source)):
                return source
    stripped = sentence.lstrip("\"“'‘ ")
    offset = len(sentence) - len(stripped)
    subject = text[offset:]
    for pattern, lowercase in _SUBJECT:
        if not fast:
            match = pattern.search(subject)
        elif pattern is _LEADING:
            match = lowercase.search(subject)
        else:
            match = _search_clause(subject)
        if match:
            source = _clean_source(stripped[match.start("src") : match.end("src")])
            if source and _is_generic_subject(source):
                return source
    return None


# A headline's (or a line's) source before a colon: "Observatory: 74 killed on first day", "Defence
# Ministry: reports of terrorists entering Morek are false", "Hama Governor: life normal in the city".
# The label must name a kind of source ("Morek: rebels claim entry" and "Analysis: …" name none).
_LABEL = re.compile(r"^[\"“'‘ ]*(?P<src>[A-Z][\w'’.\-]*(?: [\w'’.\-]+){0,5})$")
_LABEL_SOURCE_WORD = re.compile(
    r"\b(?:observatory|monitor|ministry|army|military|governor|source|sources|operations room|room|spokes(?:man|woman)|"
    r"officials?|police|rebels|residents|witnesses|medics|doctors|hospital|agency|government|president|minister|"
    r"commander|command|council|committee|directorate|kremlin|pentagon|white house|idf|activists|coalition|forces|"
    r"un|who|red cross|red crescent|unicef|unhcr|ocha|msf|civil defence|rescuers|health)\b", re.I)


def _label_source(sentence: str, colon: int) -> str | None:
    """The source a line names before a colon (``_LABEL``), or None."""
    match = _LABEL.match(sentence, 0, colon)
    if match is None or not sentence[colon + 1 : colon + 2].isspace():
        return None
    source = match.group("src")
    if source.rsplit(None, 1)[-1].lower() in _SPEECH_WORDS:  # "The army said: …" is a quote, read below
        return None
    return source if _LABEL_SOURCE_WORD.search(source) else None


# ", said government troops had withdrawn" is reported speech, not ", said the ministry".
_FINITE_VERB = re.compile(r"\b(?:had|has|have|was|were|is|are|will|would|could|did|been)\b", re.I)


_CONJUNCTION = re.compile(r"^(?:but|and|while|as|meanwhile|however|yet)\s+", re.I)


# The words _CONJUNCTION and _BAD_SOURCE_START match (but "residents? who", two words).
_CONJUNCTIONS = {"but", "and", "while", "as", "meanwhile", "however", "yet"}
_BAD_STARTS = {"it", "this", "that", "there", "they", "he", "she", "we", "i", "you", "who", "which", "what", "here",
               "some"}


def _plain_first_word(source: str, tokens: list[str]) -> str:
    """The word ``source`` opens with, lowercased, when it is ASCII letters and digits only (else ""):
    then both patterns above match exactly when it is one of their words (a word character follows
    none), and a set lookup stands for each (~2,800 instructions a regex call, on every source)."""
    if tokens:
        word = tokens[0]
        if word.isascii() and word.isalnum() and source.startswith(word):
            return word.lower()
    return ""


# Memos of ``_clean_source`` (None kept as "": a cleaned source is never empty) and of the generic
# subject test, by the text a pattern took: a desk's copy names the same speakers again and again ("the
# defence ministry", "residents"), and cleaning one was ~4,800 instructions, the test a regex search.
_CLEANED: dict[str, str] = {}
_GENERIC: dict[str, bool] = {}


def _clean_source(source: str) -> str | None:
    cleaned = _CLEANED.get(source)
    if cleaned is None:
        if len(_CLEANED) >= 100_000:
            _CLEANED.clear()
        cleaned = _CLEANED[source] = _cleaned(source) or ""
    return cleaned or None


def _is_generic_subject(source: str) -> bool:
    """``_GENERIC_SUBJECT.search(source)`` found something (memoised)."""
    generic = _GENERIC.get(source)
    if generic is None:
        if len(_GENERIC) >= 100_000:
            _GENERIC.clear()
        generic = _GENERIC[source] = _GENERIC_SUBJECT.search(source) is not None
    return generic


def _cleaned(source: str) -> str | None:
    source = source.strip(" \"“”'‘’-—")
    if ": " in source:  # a headline's label is not the speaker: "Summary: army says …" is the army
        source = source.rpartition(": ")[2]
    if ";" in source:  # "Rebels claim Morek; Damascus says …": the last clause speaks
        source = source.rpartition(";")[2].strip()
    if " — " in source or " – " in source:  # after a dateline: "NNA – A military source", "BEIRUT — Two days…"
        source = _DASH.split(source)[-1].strip()
    # Words after the speaker that belong to the verb: "A military source on Thursday", "The Observatory
    # also", "The Defence Ministry has described".
    source = _TRAILING_NOT_SOURCE.sub("", source)
    if _NOT_A_SPEAKER.match(source):
        # "in a voice message sent to journalists", "more than 50" (", said more than 50,000…"), "Two
        # days after rebels first", "the rules of war" ("according to the rules of war"), "Competing".
        return None
    tokens = source.split()
    word = _plain_first_word(source, tokens)
    if word:
        if word in _CONJUNCTIONS and len(source) > len(word):  # _CONJUNCTION needs the whitespace after it
            source = source[len(word) :].lstrip()
            tokens = tokens[1:]
            word = _plain_first_word(source, tokens)
    else:
        conjunction = _CONJUNCTION.match(source)  # match, not sub: sub tries the anchored pattern everywhere
        if conjunction:
            source = source[conjunction.end() :]
            tokens = source.split()
            word = _plain_first_word(source, tokens)
    if not source or len(tokens) > 9:
        return None
    if word in _BAD_STARTS if word and not word.startswith("resident") else _BAD_SOURCE_START.match(source):
        return None
    if any(t.lower() in _PASSIVE_AUXILIARIES for t in tokens[-2:]):
        return None  # "Fighting was also reported near Taiz" is passive: nobody is named as its source
    return source


_PASSIVE_AUXILIARIES = {"was", "were", "is", "are", "been", "being", "be"}
_DASH = re.compile(r"\s[—–]\s")
_TRAILING_NOT_SOURCE = re.compile(
    r"(?:\s+(?:(?:late|early|earlier|later)\s+)?on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"\s+(?:also|again|later|earlier|separately|meanwhile|too)|\s+(?:has|have|had)\s+\w+)+$", re.I)
_NOT_A_SPEAKER = re.compile(
    r"^(?:(?:in|on|at|by|with|from|to|for|via|through|during|after|before|since|when|while|as)\s|"
    r"(?:more|fewer|less)\s+than\b|(?:at\s+least|around|about|some|nearly|almost|over|up\s+to)\s+\d|\d|"
    r"(?:\w+\s+)?(?:days?|hours?|weeks?|months?|years?|minutes?)\s+(?:after|before|since|later|earlier)\b|"
    r"(?:the\s+)?(?:rules?|laws?|plans?|schedule|agreement|deal|custom|tradition|protocol|principles?|terms)\b|"
    r"(?:the\s+)?(?:first|second|third|latest|biggest|largest|main|only)\s+(?:gain|claim|report|attack|advance|"
    r"time|step|sign|case|such)\b|"
    r"(?:a\s+claim|claims|an\s+allegation|allegations|which)\s|"  # the denier of ", a claim the army denied"
    r"[A-Z][a-z]+ing$)",
    re.I)


@functools.lru_cache(maxsize=4096)
def originator(attributed_to: str | None) -> str | None:
    """An attribution's identity for counting independent sources: "The Defence Ministry" == "defence ministry".

    Memoised: a claim refresh asks it for every mention of the claim, and attributions repeat."""
    if not attributed_to:
        return None
    text = _ARTICLE.sub("", attributed_to.strip().lower())
    text = _LOCATED_IN.sub("", text)  # "the health ministry in Gaza"
    text = _POSSESSIVE.sub("", text)  # "Gaza's", "Syria's"
    text = _ORIGIN_ADJECTIVE.sub("", text)
    words = text.split()
    if len(words) > 2 and words[-1] in _INSTITUTIONS and not {"of", "for"} & set(words):
        text = " ".join(words[-2:])  # "gaza health ministry" == "health ministry"
    return _ORIGINATOR_ALIASES.get(text, text)


_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_LOCATED_IN = re.compile(r"\s+(?:in|from|based in)\s+[\w\s'’-]+$")
_POSSESSIVE = re.compile(r"\b[\w-]+['’]s\s+")
_ORIGIN_ADJECTIVE = re.compile(r"\b(?:state-run|official|" + "|".join(re.escape(d) for d in DEMONYMS) + r")\s+")
_ORIGINATOR_ALIASES = {"ministry of defence": "defence ministry", "defense ministry": "defence ministry",
                       "ministry of defense": "defence ministry", "war monitor": "monitor", "observatory": "monitor"}


_INSTITUTIONS = {"ministry", "army", "military", "agency", "monitor", "observatory", "command", "office",
                 "administration", "spokesman", "spokeswoman", "committee", "council", "directorate"}


# -- figures ---------------------------------------------------------------------------------------

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100, "a thousand": 1000, "a dozen": 12,
    "a million": 1_000_000,
}
_VAGUE = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
    "tens of thousands": (20000, 99999), "hundreds of thousands": (200000, 999999), "several": (3, 9),
    "a few": (2, 5), "millions": (2_000_000, 9_999_999), "several hundred": (300, 900),
    "several thousand": (3000, 9000), "a handful of": (2, 6),
}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_QUAL = r"(?P<qual>at least|more than|over|nearly|almost|around|about|approximately|roughly|some|up to|as many as|an estimated|fewer than|less than|at most|some\s+)?\s*"
_NUM = (
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?P<scale>hundred|thousand|million|billion)\b)?"
    r"|(?P<word>(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:\s+(?:hundred|thousand|million|dozen))?)\b"
    r"|(?P<vague>tens of thousands|hundreds of thousands|several hundred|several thousand|dozens|scores|hundreds|"
    r"thousands|millions|a handful of)\b"
)
_FIGURE = re.compile(r"\b" + _QUAL + r"(?:" + _NUM + r")", re.I)
_FIGURE_LOWER = _for_lowercase(_FIGURE)
_NOT_A_COUNT_AFTER = re.compile(
    r"^\s*(?:%|per ?cent|percent|km|kilomet|miles?|metres?|meters?|a\.m\.|p\.m\.|am\b|pm\b|gmt|utc|hours?|"
    r"minutes?|seconds?|days?|weeks?|months?|years?|year-old|-year|tons?|tonnes?|kg|mm|calibre|st\b|nd\b|rd\b|"
    r"th\b|:\d|\.\d|(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"times\b|o'clock|degrees?)",
    re.I,
)
_NOT_A_COUNT_BEFORE = re.compile(r"(?:\b(?:on|in|since|of|by|until|from|year|route|highway|road|no\.?|number|m)\s*$|[-/:£$€#]$)", re.I)
_COUNTED = [
    ("killed", r"killed|killing|kill|kills|dead|deaths?|died|slain|bodies|lives|toll|massacred|executed|fatalities"),
    ("wounded", r"wounded|wounding|injured|injuring|injuries|hurt|casualties"),
    ("displaced", r"displaced|displacing|fled|fleeing|flee|refugees|homeless|uprooted|evacuated|families|"
                  r"(?:have|had|has)? ?left (?:the|their) (?:city|town|village|area|homes?)"),
    ("captured", r"captured|detained|arrested|taken prisoner|prisoners|abducted|kidnapped"),
    ("missing", r"missing|unaccounted for"),
]
_COUNTED_RE = [(name, re.compile(r"\b(?:" + pattern + r")\b", re.I)) for name, pattern in _COUNTED]
_COUNTED_ANY = re.compile(r"\b(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _COUNTED) + r")\b", re.I)
_NOUN_AFTER = re.compile(r"^\s*(?:[a-z\-]+\s+){0,2}?(?P<noun>civilians|people|soldiers|troops|fighters|militants|"
                         r"rebels|terrorists|children|women|residents|drones|aircraft|helicopters|tanks|vehicles|"
                         r"members|personnel|officers|families|households|persons|men|policemen|police|gunmen|"
                         r"refugees|families|villages|towns|homes|buildings|shells|rockets|missiles)\b", re.I)


_NUMBER_WORDS = frozenset(w for phrase in list(_WORD_NUMBERS) + list(_VAGUE) for w in phrase.split()) - {"a", "of"}
# Runs of digits: a number only starts at a run's first digit (``_FIGURE`` opens with \b), so the
# others need not be tried. [0-9] is what \d finds in ASCII text, by a range test instead of a lookup.
_DIGIT = re.compile(r"\d+")
_ASCII_DIGIT = re.compile(r"[0-9]+")  # what ``_digit_run_starts`` finds in ASCII text (its tests' reference)


def _cased(word: str) -> str:
    return f"[{word[0].upper()}{word[0]}]{word[1:]}"


# Where a number can start: a digit or a number word, matched case-sensitively (6× cheaper than the
# case-insensitive _FIGURE tried at every word); the qualifier before it is found looking back.
_NUMBER_START = re.compile(
    # The lookahead (a character class) rejects most positions before the alternation is tried.
    r"(?=[\dOoTtFfSsEeNnHhDdMmAa])(?:\d+|\b(?:" + "|".join(_cased(w) for w in (
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety tens hundreds several "
        "dozens scores thousands millions").split()) + r")\b|\b[Aa] (?=dozen|hundred|thousand|million|handful))"
)
_QUAL_BEFORE = re.compile(
    r"\b(?:at least|more than|over|nearly|almost|around|about|approximately|roughly|some|up to|as many as|"
    r"an estimated|fewer than|less than|at most)\s+$",
    re.I,
)
_QUAL_BEFORE_LOWER = _for_lowercase(_QUAL_BEFORE)


# The last word of each qualifier of _QUAL_BEFORE.
_QUAL_LAST_WORDS = frozenset({"least", "than", "over", "nearly", "almost", "around", "about", "approximately",
                              "roughly", "some", "to", "as", "estimated", "most"})


def _qualifier_before(sentence: str, lo: int, p: int, lowered: bool = False) -> re.Match[str] | None:
    """``_QUAL_BEFORE.search(sentence, lo, p)``, not made where the window does not end in whitespace
    or ends in a word no qualifier ends with (``last_word_rules_out``; once per number). ``lowered``:
    ``sentence`` is lowercased ASCII text, searched with the pattern's case-sensitive twin."""
    window = sentence[lo:p]
    if not window[-1:].isspace() or last_word_rules_out(window, _QUAL_LAST_WORDS):
        return None
    return (_QUAL_BEFORE_LOWER if lowered else _QUAL_BEFORE).search(sentence, lo, p)


_NOT_A_COUNT_WORDS = frozenset({"on", "in", "since", "of", "by", "until", "from", "year", "route", "highway", "road",
                                "no", "number", "m"})


def _not_a_count_before(tail: str) -> bool:
    """``_NOT_A_COUNT_BEFORE.search(tail)``, not made where ``tail`` ends in neither a mark of the
    pattern nor a word of it (``last_word_rules_out``; once per number)."""
    if (not tail or tail[-1] not in "-/:£$€#") and last_word_rules_out(tail, _NOT_A_COUNT_WORDS):
        return False
    return _NOT_A_COUNT_BEFORE.search(tail) is not None


# What the first word after a number starts with, or is, when _NOT_A_COUNT_AFTER can match it
# (its alternatives of letters: prefixes, and whole words where the pattern has \b after them).
# ``tuple[str, ...]``: compiled, a tuple of fixed length is stored unboxed and built anew (a new tuple
# object, an incref per item) wherever it is passed on as an object, here once per number.
_NOT_A_COUNT_PREFIXES: tuple[str, ...] = ("per", "km", "kilomet", "mile", "metre", "meter", "gmt", "utc", "hour", "minute", "second",
                         "day", "week", "month", "year", "ton", "kg", "mm", "calibre", "degree")
_NOT_A_COUNT_WHOLE = frozenset({"am", "pm", "st", "nd", "rd", "th", "times", "january", "february", "march", "april",
                                "may", "june", "july", "august", "september", "october", "november", "december"})


def _not_a_count_after(after: str) -> bool:
    """``_NOT_A_COUNT_AFTER.match(after)``, not made when the first word after the number is ASCII
    letters that neither start with one of its prefixes nor are one of its words ("people",
    "civilians": most numbers; a regex call was ~4,000 instructions)."""
    stripped = after.lstrip()
    space = stripped.find(" ")
    word = stripped[:space] if space >= 0 else stripped
    if word.isalpha() and word.isascii():
        word = word.lower()
        if not word.startswith(_NOT_A_COUNT_PREFIXES) and word not in _NOT_A_COUNT_WHOLE:
            return False
    return _NOT_A_COUNT_AFTER.match(after) is not None


def _figure_matches(sentence: str, starts: list[int], lowered: bool = False) -> list[re.Match[str]]:
    """The matches ``_FIGURE.finditer`` would give, found from the number ``starts``. ``lowered``:
    ``sentence`` is lowercased ASCII text, matched with the patterns' case-sensitive twins."""
    figure = _FIGURE_LOWER if lowered else _FIGURE
    matches: list[re.Match[str]] = []
    end = 0
    for p in starts:
        if p < end:
            continue
        qualifier = _qualifier_before(sentence, max(end, p - 24), p, lowered)
        match = figure.match(sentence, qualifier.start()) if qualifier else None
        if match is None or match.end() <= p:
            match = figure.match(sentence, p)
        if match is None:
            continue
        end = match.end()
        matches.append(match)
    return matches


_START_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety tens hundreds several dozens scores "
    "thousands millions".split())
_A_COUNTS: tuple[str, ...] = (" dozen", " hundred", " thousand", " million", " handful")

# A clause break at a comma (_CLAUSE_BREAK) needs one of these words after it: with none among a
# sentence's words, its commas are not tried (most commas; a regex call each was ~3,000 instructions).
_COMMA_BREAK_WORDS = frozenset({"but", "while", "claim", "claims", "allegation", "report", "reports", "which", "deny",
                                "denies"})

# Every word a use of ``words_of`` asks about: the cue words of events, stance (with the words of its
# phrases), speech, numbers, the cue nouns of places and the words of clause breaks at a comma.
_VOCABULARY = frozenset().union(
    _ANY_EVENT_WORD, _DENIAL_WORDS, _RELAY_WORDS, _SPEECH_WORDS, _NUMBER_WORDS, _START_WORDS, _CUE_NOUN_WORDS,
    _COMMA_BREAK_WORDS, _HYPOTHETICAL_WORDS, _CHARACTERISATION_WORDS, _ANAPHORIC_DENIAL_WORDS,
    *(alternatives for _, needs in (_DENIAL_PHRASES, _RELAY_PHRASES) for need in needs for alternatives in need))


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _number_starts(sentence: str, words: frozenset[str]) -> list[int]:
    """Where ``_NUMBER_START.finditer`` finds a number, left to right. In ASCII text the number words
    present (from ``words``) are looked up with str.find: the pattern has no literal prefix, so the
    regex engine tried it at every character (its costliest use in extraction)."""
    if not sentence.isascii():
        return [m.start() for m in _NUMBER_START.finditer(sentence)]
    starts = _digit_run_starts(sentence)
    lowered = sentence.lower()
    size = len(sentence)
    for word in words & _START_WORDS:  # [Oo]ne: first letter either case, whole word
        at = lowered.find(word)
        while at >= 0:
            end = at + len(word)
            if ((sentence[at] == word[0] or sentence[at] == word[0].upper()) and sentence.startswith(word[1:], at + 1)
                    and (at == 0 or not _is_word_char(sentence[at - 1]))
                    and (end == size or not _is_word_char(sentence[end]))):
                starts.append(at)
            at = lowered.find(word, at + 1)
    if "a " in lowered:
        for count in _A_COUNTS:  # \b[Aa] (?=dozen|...)
            at = lowered.find("a" + count)
            while at >= 0:
                if sentence.startswith(count, at + 1) and (at == 0 or not _is_word_char(sentence[at - 1])):
                    starts.append(at)
                at = lowered.find("a" + count, at + 1)
    starts.sort()
    return starts


_DIGITS = marks(b"0123456789")  # digits to "0", every other byte to a space


def _digit_run_starts(text: str) -> list[int]:
    """Where ``_ASCII_DIGIT.finditer(text)`` finds its runs of digits, for ASCII text: by
    ``str.find`` over the text with digits marked, not the regex engine's test of each character."""
    table, digit = _DIGITS
    marked = translated(text, table)
    starts = []
    at = marked.find(digit)
    while at >= 0:
        starts.append(at)
        end = marked.find(" ", at)
        if end < 0:
            break
        at = marked.find(digit, end)
    return starts


def find_figures(sentence: str, words: frozenset[str] | None = None) -> tuple[Figure, ...]:
    words = words if words is not None else words_of(sentence)
    number_words = not words.isdisjoint(_NUMBER_WORDS)
    ascii = sentence.isascii()
    if number_words:
        starts = _number_starts(sentence, words)
    elif ascii:
        starts = _digit_run_starts(sentence)
    else:
        starts = [m.start() for m in _DIGIT.finditer(sentence)]
    if not starts:
        return ()  # most sentences: no digit, no number word
    figures = []
    # In ASCII text the case-insensitive patterns of a number run case-sensitively on the lowercased
    # sentence (~35% cheaper; re.I compares every character lowercased): the same spans, and the
    # groups below are only ever read lowercased (the raw text is sliced from the sentence).
    for match in _figure_matches(sentence.lower() if ascii else sentence, starts, ascii):
        # One call each for the span and the groups (a Match method call costs ~300 instructions).
        start, end = match.span()
        qual, num, scale, word, vague = match.groups()
        # Windows, not the whole rest of the sentence: every "a" is a candidate, and slicing and
        # searching to the sentence's ends made long sentences quadratic.
        before = sentence[max(0, start - 80) : start]
        after = sentence[end : end + 100]
        if word and word.lower() in ("a", "one") and not _NOUN_AFTER.match(after):
            continue  # "a", "one" as articles
        if _not_a_count_after(after) or _not_a_count_before(_tail(before, 8)):
            continue
        value, low, high = _value(num, scale, word, vague)
        if value is None and low is None:
            continue
        if value is not None and 1900 <= value <= 2100 and not qual and "," not in (num or ","):
            continue  # a year
        what = _what(before, after)
        if what is None:
            continue
        qualifier = (qual or "").strip().lower() or None
        raw = sentence[start:end].strip()
        if qualifier in ("more than", "over", "at least") and value is not None:
            low, high = value, None
        elif qualifier in ("up to", "as many as", "fewer than", "less than", "at most") and value is not None:
            low, high = None, value
        who = _who(after) if what in _COUNTS_OF_PEOPLE else None
        figures.append(_figure(value, what, qualifier, low, high, raw, who))
    return tuple(figures)


# Counts that differ by who was counted: 27 civilians wounded and 200 wounded (most of them soldiers)
# are two counts, not a conflict. A displacement counts civilians whatever the noun.
_COUNTS_OF_PEOPLE = frozenset({"killed", "wounded", "captured", "missing"})
_GROUPS = {
    "civilians": "civilians", "residents": "civilians", "children": "children", "women": "women",
    "soldiers": "soldiers", "troops": "soldiers", "servicemen": "soldiers", "personnel": "soldiers",
    "policemen": "police", "police": "police", "officers": "police",
    "fighters": "fighters", "militants": "fighters", "rebels": "fighters", "terrorists": "fighters",
    "gunmen": "fighters", "insurgents": "fighters", "paramilitaries": "fighters", "jihadists": "fighters",
    "assailants": "fighters", "militiamen": "fighters",
}
# The noun a number counts, right after it or after up to two words ("118 government soldiers", "22
# Houthi fighters", "five civilians, among them a woman"); "people", "persons" say nothing of who.
_GROUP_AFTER = re.compile(
    r"\s*(?:[A-Za-z\-]+\s+){0,2}?(?P<noun>" + "|".join(sorted(_GROUPS, key=len, reverse=True)) + r")\b", re.I
)


def _who(after: str) -> str | None:
    """Who a count of people counts, from the words right after the number (``_GROUPS``)."""
    noun = _GROUP_AFTER.match(after)
    return _GROUPS[noun.group("noun").lower()] if noun else None


def _value(num: str | None, scale: str | None, word: str | None,
           vague: str | None) -> tuple[int | None, int | None, int | None]:
    """The value or range of a ``_FIGURE`` match, from its groups."""
    if vague:
        low, high = _VAGUE[vague.lower()]
        return None, low, high
    if word:
        words = word.lower().split()
        base = _WORD_NUMBERS.get(" ".join(words[:2])) if words[0] == "a" else _WORD_NUMBERS.get(words[0])
        if words[0] == "a" and len(words) == 1:
            return None, None, None
        if base is None:
            base = 1
        if len(words) > 1 and words[-1] in _SCALE and not (words[0] == "a" and len(words) == 2):
            base *= _SCALE[words[-1]]
        elif len(words) > 1 and words[-1] == "dozen":
            base = 12 * (base if words[0] != "a" else 1)
        return base, None, None
    assert num is not None  # the third alternative of _NUM
    number = float(num.replace(",", ""))
    if scale:
        number *= _SCALE[scale.lower()]
    return int(number), None, None


def _what(before: str, after: str) -> str | None:
    """What a number counts: a verb right before it governs it ("killing at least 14 civilians and
    wounding 40"), else the nearest cue after it ("300 people were killed"), else one further before.
    An appositive after the counted noun is passed over ("Five civilians, among them a woman and a
    child, were injured": the civilians were injured)."""
    after = _without_appositive(after)
    window_after = after[:70].lower()
    window_before = before[-50:]
    tail = _tail(window_before, 10)
    if last_word_rules_out(tail, _GOVERNING_WORDS):
        governing = None
    elif tail.isascii():  # case-sensitively on lowercased ASCII text, as in ``find_figures``
        governing = _GOVERNING_LOWER.search(tail.lower())
    else:
        governing = _GOVERNING.search(tail)
    if governing:
        name = _counted_by(governing.group("verb"))
        thing = _THING_AFTER.match(after) if name == "captured" else None
        if thing:  # "captured two checkpoints", "captured three tanks": not prisoners
            noun = thing.group("noun").lower()
            return noun if noun in _MATERIEL else None
        return name
    # One search of all counts' words (no word is in two lists, so the leftmost match is the nearest
    # cue of any count, and the last match the latest).
    nearest = _COUNTED_ANY_LOWER.search(window_after)
    if nearest and nearest.start() < 45:
        return nearest.lastgroup
    latest = None
    for latest in _COUNTED_ANY_LOWER.finditer(window_before.lower()):
        pass
    if latest:
        return latest.lastgroup
    noun = _NOUN_AFTER.match(after)
    counted = noun.group("noun").lower() if noun else None
    if counted in _MATERIEL:
        return counted
    if counted in _PEOPLE:
        # "1.5 million people are trapped", "200 civilians remain": a head count with no verb of its own.
        return counted
    return None


# Up to three words after a number, then an appositive between commas (single spaces, as
# ``split_sentences`` leaves a sentence): "civilians, among them a woman and a child,".
_APPOSITIVE = re.compile(
    r"((?:\s+[\w-]+){1,3}), (?:among them|among whom|including|most of them|mostly|many of them|some of them|"
    r"all of them|half of them|one of them|two of them)\b[^,.;:]{0,80},"
)
_APPOSITIVE_OPENERS: tuple[str, ...] = ("among", "including", "most", "many", "some", "all", "half", "one", "two")
def _without_appositive(after: str) -> str:
    """The text after a number without an appositive (``_APPOSITIVE``) after the counted noun; the
    pattern only where an opener of its follows the first comma ("civilians, among them")."""
    comma = after.find(",")
    if comma >= 0 and after.startswith(_APPOSITIVE_OPENERS, comma + 2):
        appositive = _APPOSITIVE.match(after)
        if appositive is not None:
            return appositive.group(1) + after[appositive.end() :]
    return after


_GOVERNING = re.compile(
    r"\b(?P<verb>killed|killing|kill|kills|wounded|wounding|injured|injuring|displaced|displacing|detained|"
    r"arrested|abducted|kidnapped|captured)\s*$",
    re.I,
)
_GOVERNING_WORDS = frozenset({"killed", "killing", "kill", "kills", "wounded", "wounding", "injured", "injuring",
                              "displaced", "displacing", "detained", "arrested", "abducted", "kidnapped", "captured"})
_PEOPLE = {"people", "civilians", "residents", "persons"}
# What a force captures that is not people: places, positions and materiel.
_THING_AFTER = re.compile(
    r"^\s*(?:[a-z\-]+\s+){0,2}?(?P<noun>(?:checkpoint|position|post|outpost|base|village|town|city|hill|height|"
    r"neighbou?rhood|district|area|building|bridge|road|crossing|site|airport|airfield|depot|settlement|"
    r"weapon|gun|tank|vehicle|drone|aircraft|helicopter|rocket|missile|shell)s?)\b",
    re.I,
)
_COUNTED_ANY_LOWER = _for_lowercase(_COUNTED_ANY)
_GOVERNING_LOWER = _for_lowercase(_GOVERNING)
_COUNTED_BY_VERB = {verb: next(name for name, pattern in _COUNTED_RE if pattern.fullmatch(verb))
                    for verb in _GOVERNING_WORDS}


def _counted_by(verb: str) -> str:
    """What a verb of _GOVERNING counts: the first of _COUNTED_RE to match it whole (for an ASCII
    verb a dict read, where up to four case-insensitive fullmatch calls were made)."""
    name = _COUNTED_BY_VERB.get(verb.lower()) if verb.isascii() else None
    return name if name is not None else next(name for name, pattern in _COUNTED_RE if pattern.fullmatch(verb))


def _tail(text: str, longest: int) -> str:
    """The end of ``text`` a pattern anchored at its end (``\\b(?:words)\\s*$``, words of at most
    ``longest`` characters) can match in, with one character before for ``\\b``: such a search tried
    at every character of an 80-character window was a third of the figures' time."""
    return text[max(0, len(text.rstrip()) - longest - 1) :]


_MATERIEL = {"drones", "aircraft", "helicopters", "tanks", "vehicles", "rockets", "missiles", "shells"}


# -- the extractor ---------------------------------------------------------------------------------


def extract(item: Item, gazetteer: Gazetteer) -> list[Mention]:
    """Mentions of places in an item's headline (sentence 0) and text (sentences 1…)."""
    item = _visible(item)
    sentences = [(0, item.title)] if item.title else []
    sentences += [(i + 1, s) for i, s in enumerate(split_sentences(item.text))]
    if item.title and len(sentences) > 1 and _same_line(sentences[1][1], item.title):
        # Text that opens with its own headline ("Rebels enter Morek\n\nRebels entered…"): one report
        # says it once, not twice in a claim's tally.
        del sentences[1]
    # Capitalised runs are found once per sentence, for the item's context and for its places. Places
    # are not looked for in a dateline (where a story was filed says nothing of where it happened);
    # the context leaves out only the dateline that opens the text.
    scans: list[tuple[int, str, str]] = []
    runs: list[list[tuple[int, str]]] = []
    context_runs: list[str] = []
    for index, sentence in sentences:
        sentence_runs = runs_of(sentence)
        if (index == 0 or index == sentences[-1][0]) and sentence.rstrip().endswith(("…", "...")):
            sentence_runs = _whole_runs(sentence, sentence_runs, item)
        cut = dateline_end(sentence) if index else 0
        kept = [r for r in sentence_runs if r[0] >= cut] if cut else sentence_runs
        scans.append((index, sentence, " " * cut + sentence[cut:] if cut else sentence))
        runs.append(kept)
        context_runs += [run for _, run in (kept if index == 1 else sentence_runs)]
    context = Context(gazetteer, context_runs)
    mentions: list[Mention] = []
    previous: list[Mention] = []
    # What "the town" / "the city" of a placeless sentence can refer to: the last placed sentence's
    # mentions, up to two sentences back ("… took Lashio. The junta has not commented. Airstrikes on
    # the town killed eight civilians.").
    antecedent: list[Mention] = []
    antecedent_at = 0
    # The placed sentences "the town" may go back to, latest last: (mentions, index, sentence, places).
    # One whose places are all where someone was heading ("'We heard them leaving towards Suran,'
    # said a farmer" in a dispatch from Morek) is passed over when "the town" is met (see
    # ``_refers_back``), not when it is read: most placed sentences are never referred back to.
    placed: list[tuple[list[Mention], int, str, list[Found]]] = []
    title_case = _is_title_case(item.title)
    for (index, sentence, scan), sentence_runs in zip(scans, runs):
        # The words first: most sentences name a place and need them, and they gate place finding's cues.
        words = words_of(sentence)
        found = find_places(scan, gazetteer, context, title_case=title_case and index == 0, runs=sentence_runs,
                            words=words, body=len(sentence) - len(scan.lstrip()) if scan[:1] == " " else 0)
        if found and _names_a_road(found) and classify_event(sentence, find_figures(sentence, words), words) == "control":
            # "captured two checkpoints on the road between Tell Qasra and Suran", "held a grain silo on
            # the road to Suran": control of a road, or of something on it, is not control of the town
            # it leads to. Without another place the sentence is read as placeless ("the town's edge").
            found = [f for f in found if not _on_road(f)]
        if found and ("from " in sentence or "From " in sentence):
            origins = _origins(sentence, found)
            if True in origins:
                event = classify_event(sentence, find_figures(sentence, words), words)
                if event == "attack" or (event == "casualties" and _FIRE_FROM.search(sentence) is not None):
                    # "Shelling from Saraqib killed three in Kafr Zita": where the fire came from is not
                    # what it hit. With no other place named, the place fire came from keeps the claim,
                    # unless "the town" names the place it fell on ("Artillery shells from the
                    # direction of Suran fall on the town": the town of the sentences before).
                    hit = [f for f, origin in zip(found, origins) if not origin]
                    if hit or _refers_back(placed, antecedent, antecedent_at, index, sentence.lower()) is not None:
                        found = hit
        if not found:
            lowered = sentence.lower()
            if (previous and index > 0 and not words.isdisjoint(_ANAPHORIC_DENIAL_WORDS)
                    and _ANAPHORIC_DENIAL_LOWER.search(lowered) and not _OWN_DENIAL.search(sentence)
                    and (words.isdisjoint(_CHARACTERISATION_WORDS)
                         or not describes_only(_ANAPHORIC_DENIAL_LOWER, lowered))):
                # "This was denied minutes later." / "Damascus denied that its troops had withdrawn."
                source = find_attribution(sentence, words)
                denied = _main(previous)
                if len({m.event for m in denied}) > 1:
                    # "... captured Morek and were advancing towards Suran. Regime media denied that the
                    # factions had entered the town.": the denial's own event says which claim it denies.
                    own = classify_event(sentence, (), words)
                    denied = [m for m in denied if m.event == own] or denied
                answers = []
                for prev in denied:
                    if prev.stance != "denies":
                        mentions.append(_mention(prev.place, sentence, index, "denies", prev.event, (), source,
                                                 prev.precision, prev.qualifier))
                    elif _answers_denial(lowered, source, prev):
                        answers.append(_mention(prev.place, sentence, index, "asserts", prev.event, (), source,
                                                prev.precision, prev.qualifier))
                mentions.extend(answers)
                previous = []
                # After an answer to a denial "the town" is still the place both spoke of.
                antecedent = answers
                placed = []
                if answers:
                    antecedent_at = index
            elif (back := _refers_back(placed, antecedent, antecedent_at, index, lowered)) is not None:
                antecedent, antecedent_at = back
                figures = find_figures(sentence, words)
                event = classify_event(sentence, figures, words)
                if figures or event != "other":
                    antecedent_at = index
                    prev = _main(antecedent)[0]  # "the city" is the town, not the province that locates it
                    source = find_attribution(sentence, words)
                    stance = classify_stance(sentence, words)
                    if stance == "denies" and _answers_denial(lowered, source, prev):
                        stance = "asserts"
                    mentions.append(_mention(prev.place, sentence, index, stance, event, figures, source,
                                             prev.precision, prev.qualifier))
                placed = [(antecedent, antecedent_at, "", [])]  # where "the town" now is, as if placed here
            else:
                previous = [] if sentence.strip() else previous
            continue
        figures = find_figures(sentence, words)
        event = classify_event(sentence, figures, words)
        source = find_attribution(sentence, words)
        stance = classify_stance(sentence, words)
        clauses = _clauses(sentence, words)
        finer = [f for f in found if f.precision != PRECISION_COUNTRY]
        chosen = finer or found
        if event == "other" and stance == "asserts" and not figures and not source:
            # Background mentions ("the offensive from southern Idlib") are not claims.
            previous = antecedent = []
            placed = []
            continue
        current = []
        seen_keys = set()
        # "took control of Khan Shaykhun after troops withdrew towards Morek": the control claim is the
        # town's; the places troops moved towards are a movement (when the claim has a place of its own).
        bound = _destinations(sentence, chosen) if event == "control" and len(chosen) > 1 else []
        for n, f in enumerate(chosen):
            if f.place.key in seen_keys:
                continue
            seen_keys.add(f.place.key)
            clause = next((c for c in clauses if c[0] <= f.start < c[1]), (0, len(sentence)))
            text = sentence[clause[0] : clause[1]]
            if len(clauses) > 1:
                clause_words = words_of(text)
                stance = classify_stance(text, clause_words)
                clause_source = find_attribution(text, clause_words)
            else:
                clause_source = source
            current.append(_mention(f.place, sentence, index, stance, "movement" if bound and bound[n] else event,
                                    figures, clause_source or source, f.precision, f.qualifier))
        # "Rebels say they entered Morek; Damascus denies." — a denying clause with no place of its own.
        for a, b in clauses if len(clauses) > 1 else ():
            if (any(a <= f.start < b for f in chosen) or not _DENIAL.search(sentence[a:b])
                    or describes_only(_DENIAL_LOWER, sentence[a:b].lower())):
                continue
            denier = _denier(sentence[a:b]) or find_attribution(sentence[a:b])
            if denier is None and sentence[a:b].lstrip().lower().startswith("that "):
                # "X said rebels held most of Morek, but that the army still held its edge": X says both.
                denier = source
            for m in _main(current):
                if m.stance != "denies":
                    current.append(_mention(m.place, sentence, index, "denies", m.event, (), denier,
                                            m.precision, m.qualifier))
        mentions.extend(current)
        previous = antecedent = current
        antecedent_at = index
        placed = placed[-2:] + [(current, index, sentence, chosen)]
    return _headline(mentions) if mentions and mentions[0].sentence_index == 0 else mentions


# A place troops move towards: "withdrew towards X", "advancing south towards X", "retreated to X".
_TOWARDS_BEFORE = re.compile(
    r"\b(?:towards?|(?:withdr[ae]wn?|withdrawing|retreat(?:ed|ing)?|fled|fleeing|head(?:ed|ing)|mov(?:ed|ing)|"
    r"push(?:ed|ing)|advanc(?:ed|ing)|pulled\s+back|fell\s+back|redeployed)\s+(?:back\s+)?"
    r"(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:wards?)?\s+)?to)\s+(?:the\s+(?:town|city|village|area)\s+of\s+)?$",
    re.I,
)
_CONJUNCT = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$")


def _on_road(f: Found) -> bool:
    """A place named only as where a road leads ("road to X", "highway between X and Y")."""
    q = f.qualifier
    return q is not None and f.precision == PRECISION_NEAR and q.startswith(_ROAD_QUALIFIERS)


def _names_a_road(found: list[Found]) -> bool:
    for f in found:
        if _on_road(f):
            return True
    return False


_ROAD_QUALIFIERS = ("road ", "highway ", "route ")


def _destinations(sentence: str, found: list[Found]) -> list[bool]:
    """Per place found (left to right), is it only where troops were moving to ("towards X", and the
    places joined to it: "towards Morek and Suran")? None is when no other town is named: the
    sentence's claim is then about those places ("troops had withdrawn towards Souran", "... towards
    Souran in Hama province")."""
    bound = _named_after(sentence, found, _TOWARDS_BEFORE, "to", (_CONJUNCT,))
    for towards, f in zip(bound, found):
        if not towards and f.precision == PRECISION_EXACT:
            return bound  # a town of the claim's own
    return []


def _refers_back(placed: list[tuple[list[Mention], int, str, list[Found]]], antecedent: list[Mention],
                 antecedent_at: int, index: int, lowered: str) -> tuple[list[Mention], int] | None:
    """The mentions "the town" / "the city" of placeless sentence ``index`` (``lowered``) refers to,
    with the index of their sentence: the last placed sentence's, up to two sentences back, when they
    are of one place; passing over placed sentences whose places are all where someone was heading
    ("'We heard them leaving towards Suran,' said a farmer" in a dispatch from Morek: "the town"
    after it is still Morek). None when the sentence refers to no such place."""
    if index == 0 or not _may_be_anaphor(lowered):
        return None
    ante, at = antecedent, antecedent_at
    if placed and placed[-1][0] is antecedent:
        n = len(placed) - 1
        while n > 0 and _only_destinations(placed[n][2], placed[n][3]):
            n -= 1
        ante, at = placed[n][0], placed[n][1]
    if not ante or index - at > 2 or len({m.place.key for m in _main(ante)}) != 1:
        return None
    return (ante, at) if _ANAPHOR_LOWER.search(lowered) is not None else None


def _only_destinations(sentence: str, found: list[Found]) -> bool:
    """Is every place of the sentence named only as where someone was heading ("towards X")?"""
    if "to" not in sentence:
        return False
    for towards in _named_after(sentence, found, _TOWARDS_BEFORE, "to", (_CONJUNCT,)):
        if not towards:
            return False
    return True


def _named_after(sentence: str, found: list[Found], cue: re.Pattern, word: str,
                 joins: tuple[re.Pattern, ...]) -> list[bool]:
    """Per place found (left to right), does ``cue`` end just before it (within 45 characters; only
    searched where ``word``, or it capitalised, is), or is it joined by one of ``joins`` to the
    place before when that one is so named?"""
    marks: list[bool] = []
    capital = word.capitalize()
    for n, f in enumerate(found):
        window = sentence[max(0, f.start - 45) : f.start]
        marked = (word in window or capital in window) and cue.search(window) is not None
        if not marked and n > 0 and marks[n - 1]:
            for join in joins:
                if join.fullmatch(sentence, found[n - 1].end, f.start) is not None:
                    marked = True
                    break
        marks.append(marked)
    return marks


# Where an attack came from: "fired from", "shelling from the direction of", "launched from positions
# near", "rebels attacked X from": the place after it is the attack's origin, not its target.
_FROM_BEFORE = re.compile(
    r"\bfrom\s+(?:the\s+(?:direction|outskirts|edge|area)\s+of\s+|(?:positions?|bases?)\s+(?:in|near|around|outside)\s+)?$",
    re.I,
)
# Fire that comes from one place and falls on another (shells, rockets, aircraft that "took off
# from"); casualties "from" a town ("five wounded from Saraqib") are that town's own.
_FIRE_FROM = re.compile(
    r"\b(?:fired|launched|lobbed|shot|shells?|shelling|rockets?|missiles?|mortars?|artillery|fire|gunfire|"
    r"barrages?|drones?|strikes?|jets?|warplanes?|aircraft|helicopters?|(?:took|taking|takes?)\s+off)\s+"
    r"(?:(?:fire|shells?|rounds?|fired|launched|flying)\s+)?from\b",
    re.I,
)
_LOCATES = re.compile(r"\s*,?\s*(?:in|near|outside)\s+(?:the\s+)?")


def _origins(sentence: str, found: list[Found]) -> list[bool]:
    """Per place found (left to right), is it named as where something came from ("from Saraqib",
    "from the direction of Suran"), or joined to such a place ("from Saraqib and Khan Shaykhun"), or
    locating it ("from Hmeimim airbase in the Latakia countryside")?"""
    return _named_after(sentence, found, _FROM_BEFORE, "from", (_CONJUNCT, _LOCATES))


def _same_line(a: str, b: str) -> bool:
    """The same words, whatever the case, spacing and punctuation around them."""
    return a.casefold().strip(" .:!?\"“”'‘’") == b.casefold().strip(" .:!?\"“”'‘’") or (
        " ".join(re.findall(r"\w+", a.casefold())) == " ".join(re.findall(r"\w+", b.casefold())))


# What a sentence that answers the one before calls it: "contradicted that account", "disputed the
# ministry's denial", "rejected those claims".
_BACK_REFERENCE = re.compile(
    r"\b(?:that|this|those|these|the|its|their|[\w-]+['’]s)\s+(?:account|accounts|claims?|statements?|denials?|"
    r"version|assertions?)\b")


def _answers_denial(lowered: str, source: str | None, prev: Mention) -> bool:
    """Does a denying sentence deny the denial before it, said by someone else ("The ministry denied
    rebels had entered Morek. The Observatory said its sources contradicted that account.")? Then it
    asserts what that denial denied."""
    return (prev.stance == "denies" and source is not None and source != prev.attributed_to
            and _BACK_REFERENCE.search(lowered) is not None)


def _whole_runs(sentence: str, runs: list[tuple[int, str]], item: Item) -> list[tuple[int, str]]:
    """The runs of a headline or a text's last sentence but a name a feed cut short at its end
    ("… fighting reaches Kafr Zi…", "entered Mor..."), which matched whatever obscure place the
    fragment spells; a name the item also writes whole elsewhere ("… reaches Morek…" over a text
    about Morek) is kept."""
    kept = []
    tail = len(sentence.rstrip())
    for start, run in runs:
        end = start + len(run)
        if sentence[end:tail] in ("…", "..."):  # the ellipsis that ends the sentence follows the run
            whole = re.compile(r"(?<![\w'’-])" + re.escape(run) + r"(?![\w'’-]|…|\.\.\.)")
            if not (whole.search(item.title or "") or whole.search(item.text or "")):
                continue
        kept.append((start, run))
    return kept


def _headline(mentions: list[Mention]) -> list[Mention]:
    """Headlines abbreviate what the text says in full: "Houthi drones hit Marib" over a text about
    "the Marib governorate" is the province, not the town the text never names; "… in northern Burkina
    Faso" over a text naming Djibo adds no country claim of its own."""
    body = [m for m in mentions if m.sentence_index > 0]
    if not body:
        return mentions
    body_keys = {m.place.key for m in body}
    finer_countries = {m.place.country_code for m in body if m.precision != PRECISION_COUNTRY}
    out = []
    for m in mentions:
        if m.sentence_index == 0:
            if m.precision == PRECISION_COUNTRY and m.place.country_code in finer_countries:
                continue
            if m.place.key not in body_keys and f"{m.place.key}:province" in body_keys:
                province = next(b for b in body if b.place.key == f"{m.place.key}:province")
                m = replace(m, place=province.place, precision=province.precision, qualifier=None)
        out.append(m)
    return out


# Characters that do not show and must not split or hide a name ("Id\u200blib" is Idlib): zero-width
# space / non-joiner / joiner, word joiner, byte-order mark, soft hyphen.
_INVISIBLE = str.maketrans(dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _visible(item: Item) -> Item:
    """The item without invisible characters (ASCII text, the common case, is returned as is)."""
    title, text = item.title or "", item.text or ""
    if (title.isascii() or not _HAS_INVISIBLE.search(title)) and (text.isascii() or not _HAS_INVISIBLE.search(text)):
        return item
    return replace(item, title=title.translate(_INVISIBLE), text=text.translate(_INVISIBLE))


# Clause breaks: "; ", " — ", ", but ", ", while ", ". ", ", a claim X denied", a headline's closing
# ", army officials deny". Written to start with
# one character class, which lets the regex engine skip to those characters instead of trying every
# position (4x cheaper); the whitespace a dash needs before it is checked in ``_clauses``.
_CLAUSE_BREAK = re.compile(r"[;.,—–](?:(?<=,)\s+(?:but\s+|while\s+|"
                           r"(?=(?:a claim|claims|an allegation|a report|reports|which)\s+(?:\w+\s+){0,2}"
                           r"(?:den|dismiss|reject|refut|call))|"
                           r"(?=(?:\w+\s+){1,4}(?:deny|denies)[.!?\"”]*$))|(?<!,)\s+)")


# Who denies in a clause that answers the one before: "…, a claim the army denied", "…, a claim rejected
# by the Defence Ministry", "…, which was dismissed by the governor".
_DENIER_BY = re.compile(
    r"^\W*(?:a claim|claims|an allegation|allegations|a report|reports|which)\s+(?:was\s+|were\s+|has\s+been\s+|"
    r"have\s+been\s+)?(?:quickly\s+|swiftly\s+|later\s+)?(?:denied|dismissed|rejected|refuted)\s+by\s+"
    r"(?P<src>[^,.;:\"“”]{2,60}?)\s*(?:[,.;:\"“”]|$|\s+(?:as|on|in|who|which|that)\b)", re.I)
_DENIER_BEFORE = re.compile(
    r"^\W*(?:a claim|claims|an allegation|allegations|a report|reports|which)\s+(?P<src>(?:the\s+|a\s+|an\s+)?"
    r"[^,.;:\"“”]{2,60}?)\s+(?:has\s+|have\s+|had\s+|quickly\s+|swiftly\s+|later\s+)?"
    r"(?:denied|denies|dismissed|dismisses|rejected|rejects|refuted|refutes|called)\b", re.I)


def _denier(clause: str) -> str | None:
    """The source of a denying clause that refers back ("a claim the army denied"), else None."""
    match = _DENIER_BY.search(clause) or _DENIER_BEFORE.search(clause)
    if match is None:
        return None
    src = match.group("src").strip()
    return None if src.lower() in ("was", "were", "been", "it", "this", "that") else src


def _main(mentions: list[Mention]) -> list[Mention]:
    """The places a sentence is about, not those that only locate them ("X near Y in the Z region")."""
    exact = [m for m in mentions if m.precision == PRECISION_EXACT]
    return exact or list(mentions)


def _is_title_case(title: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’\-]*", title) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


# The ASCII characters a clause break starts with, each followed by whitespace in the pattern.
_CLAUSE_STARTS = marks_before_space(b";.,")
_CLAUSE_STARTS_NO_COMMA = marks_before_space(b";.")


def _clauses(sentence: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of the clauses of a sentence; ``words``: its ``words_of``."""
    spans, start = [], 0
    commas = not words.isdisjoint(_COMMA_BREAK_WORDS)
    for match in matches_from(_CLAUSE_BREAK, sentence, _CLAUSE_STARTS if commas else _CLAUSE_STARTS_NO_COMMA):
        end = match.start()
        if sentence[end] in "—–":  # a break only after whitespace not taken by the previous break
            if end == start or not sentence[end - 1].isspace():
                continue
            while end > start and sentence[end - 1].isspace():
                end -= 1
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(sentence)))
    return [s for s in spans if s[1] > s[0]]


# Mentions and figures are built through their slots here, not by calling the class: its ``__init__``
# (``types.slot_init``) is interpreted Python, ~9,900 instructions a Mention (4% of extraction), where
# compiled each ``object.__setattr__`` is one C call storing into the slot (past ``frozen``, as
# dataclasses' own ``__init__`` does). Every field is set, defaults included (tests compare with the
# class's own constructor).


def _mention(place: Place, sentence: str, index: int, stance: str, event: str, figures: tuple[Figure, ...],
             source: str | None, precision: int, qualifier: str | None) -> Mention:
    """``Mention(place, sentence, index, stance, event, figures, source, precision, qualifier)``."""
    m = object.__new__(Mention)
    object.__setattr__(m, "place", place)
    object.__setattr__(m, "sentence", sentence)
    object.__setattr__(m, "sentence_index", index)
    object.__setattr__(m, "stance", stance)
    object.__setattr__(m, "event", event)
    object.__setattr__(m, "numbers", figures)
    object.__setattr__(m, "attributed_to", source)
    object.__setattr__(m, "precision", precision)
    object.__setattr__(m, "qualifier", qualifier)
    object.__setattr__(m, "id", None)
    object.__setattr__(m, "item_id", None)
    object.__setattr__(m, "outlet", None)
    object.__setattr__(m, "published", None)
    return m


def _figure(value: int | None, what: str, qualifier: str | None, low: int | None, high: int | None,
            raw: str, who: str | None) -> Figure:
    """``Figure(value, what, qualifier, low, high, raw, who)`` (see ``_mention``)."""
    f = object.__new__(Figure)
    object.__setattr__(f, "value", value)
    object.__setattr__(f, "what", what)
    object.__setattr__(f, "qualifier", qualifier)
    object.__setattr__(f, "low", low)
    object.__setattr__(f, "high", high)
    object.__setattr__(f, "raw", raw)
    object.__setattr__(f, "who", who)
    return f
