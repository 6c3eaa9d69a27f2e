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


def _load_groups():
    groups = {}
    for number, line in enumerate(GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines()):
        line = line.split("#", 1)[0]
        for name in line.split():
            groups.setdefault(fold(name), set()).add(number)
    return {name: frozenset(ids) for name, ids in groups.items()}


_GROUPS = _load_groups()


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

    Kept strict on purpose: twins are often given names one letter apart in
    sound (Ava, Eva) and must not be taken for a typing error, so short names
    need the same first letter and long names may differ by at most two."""
    if a == b or not a or not b:
        return a == b
    if a[0] != b[0] and not (len(a) > 1 and len(b) > 1 and a[:2] == b[1::-1]):
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
