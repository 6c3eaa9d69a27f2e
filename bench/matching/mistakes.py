"""The mistakes and differences the generator writes into a query about a
person who is in the register: each a pure function of its input and a
random.Random, returning the changed value, or None where it cannot apply
(no nickname for Zainab; no day-and-month swap for the 25th)."""

import unicodedata
from datetime import date
from functools import lru_cache

from .pools import (
    FIRST_NAME_SPELLINGS,
    KEYBOARD_NEIGHBOURS,
    NICKNAMES,
    RESPELLINGS,
    SURNAME_SPELLINGS,
)


@lru_cache(maxsize=100_000)
def plain(name):
    """Lower case without accents: how the benchmark's own lists are looked up."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _index(groups):
    index = {}
    for group in groups:
        for name in group:
            index.setdefault(plain(name), []).append(group)
    return index


_NICKNAMES = _index(NICKNAMES)
_FIRST_SPELLINGS = _index(FIRST_NAME_SPELLINGS)
_SURNAME_SPELLINGS = _index(SURNAME_SPELLINGS)


def variants_in(index, name):
    """Other names in any of the groups this name is in."""
    key = plain(name)
    return sorted({n for group in index.get(key, ()) for n in group if plain(n) != key})


def same_name(a, b):
    """Whether two given names are one name by the benchmark's own lists
    (the generator never gives two siblings one name written two ways)."""
    if plain(a) == plain(b):
        return True
    return any(
        plain(b) in {plain(n) for n in group}
        for index in (_NICKNAMES, _FIRST_SPELLINGS)
        for group in index.get(plain(a), ())
    )


def _cased_like(new, old):
    return new.capitalize() if old[:1].isupper() else new


def typo(word, rng):
    """One slip at the keyboard: a letter wrong (usually a neighbouring key),
    missing, doubled or extra, or two neighbours swapped. The first letter is
    hit less often, as in real typing."""
    if len(word) < 3 or not word.isalpha():
        return None
    lower = word.lower()
    for _ in range(10):
        position = rng.randrange(1, len(lower)) if rng.random() < 0.9 else 0
        kind = rng.choice(("substitute", "delete", "insert", "transpose"))
        letter = lower[position]
        neighbours = KEYBOARD_NEIGHBOURS.get(letter, "aeiou")
        if kind == "substitute":
            changed = lower[:position] + rng.choice(neighbours) + lower[position + 1 :]
        elif kind == "delete":
            changed = lower[:position] + lower[position + 1 :]
        elif kind == "insert":
            extra = letter if rng.random() < 0.5 else rng.choice(neighbours)
            changed = lower[:position] + extra + lower[position:]
        else:
            if position + 1 >= len(lower):
                continue
            changed = (
                lower[:position] + lower[position + 1] + lower[position] + lower[position + 2 :]
            )
        if changed != lower:
            return _cased_like(changed, word)
    return None


_AT_END_ONLY = {("ah", "a"), ("a", "ah")}


def respell(word, rng):
    """The same sound spelt another way (Yusuf, Yousuf; Hamza, Hamzah), by one
    of the rules in pools.RESPELLINGS applied at one place. Never the first
    letter (Kelly is not written Celly), and a final -ah only at the end."""
    lower = plain(word)
    options = []
    for pattern, replacement in RESPELLINGS:
        start = lower.find(pattern, 1)
        while start != -1:
            at_end = start + len(pattern) == len(lower)
            if at_end or (pattern, replacement) not in _AT_END_ONLY:
                options.append((start, pattern, replacement))
            start = lower.find(pattern, start + 1)
    rng.shuffle(options)
    for start, pattern, replacement in options:
        changed = lower[:start] + replacement + lower[start + len(pattern) :]
        if changed != lower and len(changed) >= 2:
            return _cased_like(changed, word)
    return None


def nickname(first_name, rng):
    options = variants_in(_NICKNAMES, first_name)
    return rng.choice(options) if options else None


def first_name_spelling(first_name, rng, respelling=True):
    """Another spelling or transliteration from the list, else (for names
    written in another alphabet first: respelling) a sound-alike respelling."""
    options = variants_in(_FIRST_SPELLINGS, first_name)
    if options:
        return rng.choice(options)
    return respell(first_name, rng) if respelling else None


FEMININE_ENDINGS = (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"))


def feminine(surname):
    """Polish surnames ending -ski/-cki take -ska/-cka for a woman or girl."""
    for masculine, female in FEMININE_ENDINGS:
        if surname.endswith(masculine):
            return surname[: -len(masculine)] + female
    return surname


def masculine(surname):
    for male, female in FEMININE_ENDINGS:
        if surname.endswith(female):
            return surname[: -len(female)] + male
    return surname


def surname_spelling(surname, rng, respelling=True):
    """Another spelling from the list, the other gender's form of a Polish
    surname (Kowalska written Kowalski), else (respelling) a sound-alike one."""
    parts = surname.split("-")
    index = rng.randrange(len(parts))
    part = parts[index]
    options = variants_in(_SURNAME_SPELLINGS, part)
    other_gender = masculine(part) if masculine(part) != part else None
    if other_gender is None and feminine(part) != part:
        other_gender = feminine(part)
    if other_gender and rng.random() < 0.5:
        options = [other_gender]
    if options:
        changed = rng.choice(options)
    elif respelling:
        changed = respell(part, rng)
    else:
        return None
    if changed is None:
        return None
    parts[index] = changed
    return "-".join(parts)


def swap_day_and_month(day, latest=None):
    """Day and month the wrong way round, if that is a date (and not after latest)."""
    if day is None or day.day > 12 or day.day == day.month:
        return None
    swapped = date(day.year, day.day, day.month)
    return swapped if latest is None or swapped <= latest else None


# Where in YYYYMMDD a wrong digit falls: the day and the year's last digit
# most often, the century never.
_DIGIT_WEIGHTS = {2: 1, 3: 4, 4: 1, 5: 3, 6: 3, 7: 5}


def wrong_digit(day, rng, latest):
    """The date with one digit mistyped, still a real date and not after latest."""
    if day is None:
        return None
    text = day.strftime("%Y%m%d")
    positions = list(_DIGIT_WEIGHTS)
    weights = list(_DIGIT_WEIGHTS.values())
    for _ in range(30):
        position = rng.choices(positions, weights)[0]
        digit = rng.choice([d for d in "0123456789" if d != text[position]])
        changed = text[:position] + digit + text[position + 1 :]
        try:
            result = date(int(changed[:4]), int(changed[4:6]), int(changed[6:]))
        except ValueError:
            continue
        if result <= latest:
            return result
    return None


# --- a field written wrong: the value is there, but not valid -----------------
def mistype_nhs_number(nhs, rng):
    """The NHS number with one digit wrong or two neighbours swapped, so that
    its check digit no longer fits (as a list would show it: spaced)."""
    from core.validators import nhs_check_digit

    for _ in range(50):
        digits = list(nhs)
        position = rng.randrange(10)
        if rng.random() < 0.5 and position < 9 and digits[position] != digits[position + 1]:
            digits[position], digits[position + 1] = digits[position + 1], digits[position]
        else:
            digits[position] = rng.choice([d for d in "0123456789" if d != digits[position]])
        changed = "".join(digits)
        if nhs_check_digit(changed[:9]) != int(changed[9]):
            return f"{changed[:3]} {changed[3:6]} {changed[6:]}" if rng.random() < 0.5 else changed
    return None


def mistype_upn(upn, rng):
    """The UPN with one digit wrong, so that its check letter no longer fits."""
    from core.validators import upn_check_letter

    for _ in range(50):
        position = rng.randrange(1, 12)
        digit = rng.choice([d for d in "0123456789" if d != upn[position]])
        changed = upn[:position] + digit + upn[position + 1 :]
        if upn_check_letter(changed[1:]) != changed[0]:
            return changed
    return None


# A letter typed for the digit it looks like, and the other way round.
_POSTCODE_LOOKALIKES = {"1": "I", "0": "O", "5": "S", "2": "Z", "8": "B", "I": "1", "O": "0"}


def mistype_postcode(postcode, rng):
    """As lists get postcodes wrong: a letter for a digit that looks like it
    (B2I 9SW), written small with no space, or the last letter left off."""
    kind = rng.choices(("lookalike", "squashed", "cut short"), (3, 1, 1))[0]
    if kind == "lookalike":
        places = [i for i, c in enumerate(postcode) if c in _POSTCODE_LOOKALIKES and i > 0]
        if places:
            i = rng.choice(places)
            return postcode[:i] + _POSTCODE_LOOKALIKES[postcode[i]] + postcode[i + 1 :]
    if kind == "cut short":
        return postcode[:-1]
    return postcode.replace(" ", "").lower()


def write_date_oddly(day, rng):
    """The date of birth as some lists write it: most can be read (04.03.2015,
    4 Mar 2015, a spreadsheet's midnight), some cannot (a two-digit year;
    month first, where the day is over 12)."""
    if day is None:
        return None
    options = [
        day.strftime("%d.%m.%Y"),
        f"{day.day} {day.strftime('%b %Y')}",
        day.strftime("%d-%m-%Y"),
        day.strftime("%Y-%m-%d 00:00:00"),
        day.strftime("%d/%m/%y"),
    ]
    if day.day > 12:
        options.append(day.strftime("%m/%d/%Y"))
    return rng.choice(options)
