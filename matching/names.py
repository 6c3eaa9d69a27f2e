"""Names as people actually write them: folding, the given-name variant groups
(short forms, nicknames, transliterations) and a consonant skeleton that puts
spellings that sound alike together (Mohammed, Muhammad; Oleksandr, Aleksandr,
Alexander).

Everything here is a pure function of its text and cached, because the same
names recur across a register thousands of times."""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import JaroWinkler, Levenshtein

GIVEN_NAMES_FILE = Path(__file__).parent / "data" / "given_names.txt"
COMMON_GIVEN_NAMES_FILE = Path(__file__).parent / "data" / "common_given_names.txt"

# What a record holds before a baby is named: not a name at all.
PLACEHOLDER_NAMES = frozenset(
    {"baby", "babyboy", "babygirl", "unborn", "infant", "unnamed", "unknown"}
)
# Small words of surnames (Al-Sayed, bin Laden, van Dijk, de Souza) that
# two unrelated families share: not evidence of the same family.
SURNAME_PARTICLES = frozenset(
    ["al", "el", "ul", "bin", "bint", "ibn", "abu", "abd", "de", "da", "di", "du"]
    + ["van", "von", "der", "le", "la"]
)
# Endings of English diminutives: Ronnie, Penny, Reggie, Freddie, Charley.
_DIMINUTIVE = re.compile(r"(?:ie|ey|ee|y|i)$")

# Letters other alphabets' Latin spellings use for the same sound, and letters
# that NFKD does not take apart.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ı": "i"})
# Applied in order to a folded name: spelling conventions that do not change
# how a name sounds, then vowels and doubled letters dropped.
_SOUND_RULES = [
    (r"ph", "f"),
    (r"x", "ks"),
    (r"ck", "k"),
    (r"q", "k"),
    (r"c(?=[eiy])", "s"),
    (r"c", "k"),
    (r"kh", "h"),
    (r"gh", "g"),
    (r"dh", "d"),
    (r"th", "t"),
    (r"sz", "sh"),
    (r"cz", "ch"),
    (r"tch", "ch"),
    (r"zh", "j"),
    (r"dz", "j"),
    (r"w", "v"),
    (r"z", "s"),
    (r"j", "y"),
    (r"y", "i"),
    (r"h(?![aeiou])", ""),
    (r"[aeiou]", ""),
    (r"(.)\1+", r"\1"),
]
_SOUND_PATTERNS = [(re.compile(pattern), replacement) for pattern, replacement in _SOUND_RULES]


@lru_cache(maxsize=200_000)
def fold(text):
    """Lower case, accents and punctuation removed, single spaces: 'Zoë O'Neil' is 'zoe oneil'."""
    text = (text or "").casefold().translate(_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’`.]", "", text)
    text = re.sub(r"[^a-z]+", " ", text)
    return text.strip()


@lru_cache(maxsize=200_000)
def tokens(text):
    """The separate words of a name: a double-barrelled or two-word surname gives each part."""
    return tuple(fold(text).split())


@lru_cache(maxsize=200_000)
def skeleton(word):
    """The consonants of a folded word after sound-alike spellings are merged."""
    for pattern, replacement in _SOUND_PATTERNS:
        word = pattern.sub(replacement, word)
    return word


def _lines_of_names(path):
    """Each line of a names file, comments removed, as its folded names."""
    for line in path.read_text(encoding="utf-8").splitlines():
        yield [fold(name) for name in line.split("#", 1)[0].split()]


def _load_groups():
    groups = {}
    for number, line in enumerate(_lines_of_names(GIVEN_NAMES_FILE)):
        for name in line:
            groups.setdefault(name, set()).add(number)
    return {name: frozenset(ids) for name, ids in groups.items()}


_GROUPS = _load_groups()
COMMON_GIVEN_NAMES = frozenset(
    name for line in _lines_of_names(COMMON_GIVEN_NAMES_FILE) for name in line
)


def is_placeholder(word):
    return word in PLACEHOLDER_NAMES


def surname_parts(text):
    """The words of a surname that tell families apart: particles left out,
    unless the surname is nothing else."""
    parts = tokens(text)
    kept = tuple(part for part in parts if part not in SURNAME_PARTICLES)
    return kept or parts


def both_common_and_different(a, b):
    """Two different names that are each a common name in their own right
    (Alfie and Albie, Ava and Eva): different people, not a slip."""
    return a != b and a in COMMON_GIVEN_NAMES and b in COMMON_GIVEN_NAMES


# Endings that make a girl's name of a boy's: Daniel and Daniela, Amir and
# Amira, Louis and Louise, Georg and Georgina; after a last i or o is
# dropped, Antoni and Antonina, Mario and Maria.
_FEMININE_ENDINGS = ("a", "e", "ina", "ine", "ette", "etta", "ella", "elle")


def is_feminine_form(a, b):
    """One name is the other, a known name in its own right, with a girl's
    ending: a brother's and a sister's names (twins are often given them),
    not a short form, however few letters apart. An unknown shorter name
    (Olivi, Grac) is more likely the last letter dropped, and an ending
    that repeats the last letter (Islaa, Esmee) a key pressed twice."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if not (short in COMMON_GIVEN_NAMES or variant_groups(short)):
        return False
    stems = (short, short[:-1]) if short[-1] in "io" else (short,)
    return any(
        len(stem) >= 3
        and long.startswith(stem)
        and long[len(stem) :] in _FEMININE_ENDINGS
        and long[len(stem)] != stem[-1]
        for stem in stems
    )


def _stem(name):
    """A diminutive without its ending and doubled letter: Ronnie, ron."""
    stem = _DIMINUTIVE.sub("", name)
    if len(stem) >= 2 and stem[-1] == stem[-2]:
        stem = stem[:-1]
    return stem


@lru_cache(maxsize=200_000)
def is_short_form(a, b):
    """One name is a short form of the other: Josh of Joshua, Ronnie of
    Ronald, Florrie of Florence. The short form, or its stem without a
    diminutive ending and doubled letter, is at least three letters that
    begin the other name."""
    for short, long in ((a, b), (b, a)):
        if len(short) >= 3 and len(long) > len(short) and long.startswith(short):
            return True
        # Harry is not Harvey: both end as diminutives do.
        if _DIMINUTIVE.search(long):
            continue
        stem = _stem(short)
        if len(stem) >= 3 and len(long) > len(stem) and long.startswith(stem):
            return True
    return False


def variant_groups(word):
    """The groups a folded given name belongs to (empty when it is in none)."""
    return _GROUPS.get(word, frozenset())


@lru_cache(maxsize=200_000)
def given_name_key(word):
    """One blocking key for a given name that is the same for its variants.

    A name in a variant group is keyed by its first group; names in several
    groups (Alex) are keyed by each, see given_name_keys."""
    groups = variant_groups(word)
    if groups:
        return f"g{min(groups)}"
    return skeleton(word) or word


def given_name_keys(word):
    groups = variant_groups(word)
    if groups:
        return {f"g{group}" for group in groups}
    return {skeleton(word) or word}


def similarity(a, b):
    """Jaro-Winkler similarity of two folded words, 0 to 1."""
    return JaroWinkler.similarity(a, b)


def edits(a, b):
    return Levenshtein.distance(a, b)


def looks_mistyped(a, b):
    """One slip of the keyboard: a letter wrong, missing, extra or two swapped.

    Kept strict on purpose: twins are often given names one letter apart
    (Ava, Eva) and must not be taken for a typing error. Scoring rules out
    two names that are each common names; here short names may differ by one
    edit and long names by two, and a slip in the first letter counts only
    for names of five letters or more."""
    if a == b or not a or not b:
        return a == b
    if (
        a[0] != b[0]
        and not (len(a) > 1 and len(b) > 1 and a[:2] == b[1::-1])
        and max(len(a), len(b)) < 5
    ):
        return False
    distance = Levenshtein.distance(a, b, weights=(1, 1, 1))
    transposed = (
        len(a) == len(b)
        and sum(x != y for x, y in zip(a, b, strict=True)) == 2
        and (sorted(a) == sorted(b))
    )
    if transposed:
        return True
    limit = 1 if min(len(a), len(b)) <= 7 else 2
    return distance <= limit
