"""Personal data in free text, found by pattern and replaced by a labelled placeholder.

A 311 request's free text (Open311's ``description``) is written by residents and call
takers: "call me back at 612-555-0143", "my name is Ana Souza". Before a city publishes
it, :func:`scrub_text` finds four kinds of personal data by pattern and replaces each with
a placeholder that says what was there ("[phone removed]"), so a reader of the published
file still sees that the note held a phone number:

* **e-mail addresses**, in any country;
* **national ID numbers**, in the formats of the city's country (:data:`ID_PATTERNS`):
  the US Social Security number (123-45-6789), Canada's Social Insurance Number
  (123 456 789), Mexico's CURP and RFC, Colombia's cédula after its cue ("C.C. 1.234.567"),
  Brazil's CPF (123.456.789-09);
* **phone numbers**: international ones (+52 ..., +55 ...) everywhere, and the national
  forms of the city's country (:data:`PHONE_PATTERNS`);
* **names**, only where a cue word introduces them ("my name is", "Sr.", "me llamo",
  "meu nome é", "caller", "vecina" ...): a pattern cannot tell "Maria" from "Main"
  otherwise. A name written without a cue is not found, which is why a person reads a
  sample of the scrubbed text before publication.

Kinds are searched in that order (an e-mail's digits are never read as a phone number).
The patterns are written for the demo countries and are a first pass, not a guarantee.

>>> scrubbed, found = scrub_text("Caller Ana Souza, 612-555-0143 or ana@example.org",
...                              "United States")
>>> scrubbed
'Caller [name removed], [phone removed] or [e-mail removed]'
>>> found
{'email': 1, 'national_id': 0, 'phone': 1, 'name': 1}
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from cda_lib.text.translation import N_, gettext as _

KINDS = ("email", "national_id", "phone", "name")
PLACEHOLDERS = {"email": N_("[e-mail removed]"), "national_id": N_("[ID number removed]"),
                "phone": N_("[phone removed]"), "name": N_("[name removed]")}

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# +CC then 6 to 14 more digits in groups: an international number from any country.
INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?!\d)")
# No look-behind: a number typed with an extra digit in front (6617-569-1023) still goes.
NANP_PHONE = re.compile(r"(?:1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?!\d)")
PHONE_PATTERNS = {
    # North America: (612) 555-0143, 612-555-0143, 612.555.0143
    "United States": (NANP_PHONE,),
    "Canada": (NANP_PHONE,),
    # Mexico: ten digits, written 55 1234 5678 or (55) 1234-5678
    "Mexico": (re.compile(r"(?<!\d)\(?\d{2,3}\)?[\s.-]?\d{3,4}[\s.-]\d{4}(?!\d)"),),
    # Colombia: mobiles 300 123 4567, landlines 601 234 5678 (ten digits since 2021)
    "Colombia": (re.compile(r"(?<!\d)(?:3\d{2}|60\d)[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)"),),
    # Brazil: (11) 98765-4321, 11 3456-7890
    "Brazil": (re.compile(r"(?<!\d)\(?\d{2}\)?\s?9?\d{4}-\d{4}(?!\d)"),),
}
ID_PATTERNS = {
    # Social Security number: 123-45-6789
    "United States": (re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)"),),
    # Social Insurance Number: 123 456 789 or 123-456-789
    "Canada": (re.compile(r"(?<!\d)\d{3}[ -]\d{3}[ -]\d{3}(?!\d)"),),
    # CURP (18 characters) and RFC of a person (13) or a company (12)
    "Mexico": (re.compile(r"\b[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z\d]\d\b"),
               re.compile(r"\b[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}\b")),
    # cédula de ciudadanía after its cue: C.C. 1.234.567.890, CC 12345678, cédula 52.123.456
    "Colombia": (re.compile(r"(?i:\b(?:c\.\s?c\.?|cc|c[ée]dula(?: de ciudadan[ií]a)?))"
                            r"\s*(?:n[o°º]\.?\s*)?:?\s*\d{1,3}(?:\.?\d{3}){1,3}(?!\d)"),),
    # CPF: 123.456.789-09, or eleven digits after "CPF"
    "Brazil": (re.compile(r"(?<!\d)\d{3}\.\d{3}\.\d{3}-\d{2}(?!\d)"),
               re.compile(r"(?i:\bcpf)\s*:?\s*\d{11}(?!\d)")),
}
_CAPITAL = "A-ZÁÉÍÓÚÂÊÔÃÕÇÑÜ"
_WORD = rf"[{_CAPITAL}][a-záéíóúâêôãõçñü'-]+"
# Cue words that introduce a name, in English, Spanish and Portuguese (a city's text can mix).
NAME_CUES = (r"(?i:my name is|name is|name:|caller:?|resident:?|contact:?|spoke (?:with|to)|"
             r"neighbou?r|call back|me llamo|mi nombre es|nombre:|vecin[oa]|la señora|"
             r"el señor|habl[óé] con|contactar a|llamar a|meu nome é|me chamo|nome:|"
             r"vizinh[oa]|falar com|falei com|ligar para|o senhor|a senhora)"
             r"|\b(?:Mr|Mrs|Ms|Miss|Dr|Sr|Sra|Srta|Dona)\.?")
NAME = re.compile(rf"(?P<cue>{NAME_CUES})\s+(?P<name>{_WORD}"
                  rf"(?:\s+(?:(?:de|da|do|dos|das|del|la)\s+)?{_WORD}){{0,3}})")


def patterns_for(country: str) -> dict[str, tuple[re.Pattern, ...]]:
    """The patterns searched in one country's text, by kind (names apart).

    A country without national patterns gets e-mails and international phone numbers.

    >>> sorted(patterns_for("Brazil")), len(patterns_for("Atlantis")["national_id"])
    (['email', 'national_id', 'phone'], 0)
    """
    return {"email": (EMAIL,), "national_id": ID_PATTERNS.get(country, ()),
            "phone": (INTERNATIONAL_PHONE, *PHONE_PATTERNS.get(country, ()))}


def scrub_text(text: str, country: str) -> tuple[str, dict[str, int]]:
    """The text with every personal datum found replaced, and how many of each kind.

    >>> scrub_text("CPF 123.456.789-00, ligar para Dona Maria da Silva", "Brazil")[0]
    'CPF [ID number removed], ligar para [name removed]'
    """
    found = dict.fromkeys(KINDS, 0)
    patterns = patterns_for(country)
    for kind in ("email", "national_id", "phone"):
        for pattern in patterns[kind]:
            text, count = pattern.subn(_(PLACEHOLDERS[kind]), text)
            found[kind] += count
    placeholder = _(PLACEHOLDERS["name"])
    text, count = NAME.subn(lambda match: f"{match['cue']} {placeholder}", text)
    found["name"] += count
    return text, found


def scrub_column(texts: pd.Series, country: str) -> tuple[pd.Series, dict[str, int]]:
    """A column of free text scrubbed (empty cells stay empty), and the counts by kind.

    >>> notes = pd.Series(["Mrs. Lee called", None, "deep pothole"], dtype="string")
    >>> scrubbed, found = scrub_column(notes, "United States")
    >>> scrubbed.tolist(), found["name"]
    (['Mrs. [name removed] called', <NA>, 'deep pothole'], 1)
    """
    totals = dict.fromkeys(KINDS, 0)
    out = []
    done: dict[str, tuple[str, dict[str, int]]] = {}  # notes repeat: scrub each text once
    for value in texts:
        if pd.isna(value):
            out.append(pd.NA)
            continue
        text = str(value)
        if text not in done:
            done[text] = scrub_text(text, country)
        scrubbed, found = done[text]
        out.append(scrubbed)
        for kind, count in found.items():
            totals[kind] += count
    return pd.Series(out, index=texts.index, dtype="string"), totals


def texts_with_personal_data(texts: Iterable[str], country: str) -> int:
    """How many of the texts hold at least one personal datum the patterns find.

    >>> texts_with_personal_data(["no one", "write to a@example.com"], "Canada")
    1
    """
    return sum(1 for text in texts if any(scrub_text(str(text), country)[1].values()))


def cpf_is_valid(cpf: str) -> bool:
    """Whether a Brazilian CPF's two check digits are right (the generator's are not).

    >>> cpf_is_valid("000.000.001-91"), cpf_is_valid("000.000.001-92")
    (True, False)
    """
    digits = [int(c) for c in cpf if c.isdigit()]
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    for position in (9, 10):
        total = sum(d * (position + 1 - i) for i, d in enumerate(digits[:position]))
        if (total * 10) % 11 % 10 != digits[position]:
            return False
    return True


CURP_CHARACTERS = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"


def curp_is_valid(curp: str) -> bool:
    """Whether a Mexican CURP's last character is its check digit (the generator's is not).

    >>> curp_is_valid("AAAA000000HDFBBB01"), curp_is_valid("AAAA000000HDFBBB02")
    (True, False)
    """
    if len(curp) != 18 or not curp[-1].isdigit():
        return False
    total = sum(CURP_CHARACTERS.index(c) * (18 - i) for i, c in enumerate(curp[:17])
                if c in CURP_CHARACTERS)
    return (10 - total % 10) % 10 == int(curp[-1])


def sin_is_valid(sin: str) -> bool:
    """Whether a Canadian SIN passes its Luhn check (the generator's do not).

    >>> sin_is_valid("012 345 674"), sin_is_valid("012 345 675")
    (True, False)
    """
    digits = [int(c) for c in sin if c.isdigit()]
    if len(digits) != 9:
        return False
    total = 0
    for i, d in enumerate(digits):
        d = d * 2 if i % 2 else d
        total += d - 9 if d > 9 else d
    return total % 10 == 0
