"""The field checks every part of a city file shares: present, text, number, date, choice.

Each check raises a :class:`~cda_lib.core.errors.CityFileError` that names the file and
the field, says what is wrong and how to fix it, in the page's language: "In riverbend.yaml,
`population` should be a whole number of at least 1, not "about 100,000". Fix: write
digits only, without commas or spaces (here: 100000)." :mod:`cda_lib.cities.validation`
uses them for every field.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, NoReturn

from cda_lib.core.errors import CityFileError, did_you_mean, list_choices
from cda_lib.text.dates import format_list
from cda_lib.text.translation import gettext as _


class FieldChecker:
    """Small validation helpers that raise a :class:`CityFileError` naming the field.

    ``problem`` and ``fix`` are already in the page's language (each call site translates
    its own); :meth:`fail` puts them in one sentence.
    """

    def __init__(self, source_name: str):
        self.source_name = source_name

    def fail(self, where: str, problem: str, fix: str) -> NoReturn:
        fix = fix if fix.endswith(("?", ".")) else fix + "."
        raise CityFileError(_("In {file}, `{where}` {problem}. Fix: {fix}",
                              file=self.source_name, where=where, problem=problem, fix=fix))

    def present(self, raw: dict, name: str, parent: str, needed: tuple[str, ...] = ()) -> None:
        where = f"{parent}.{name}" if parent else name
        if name not in raw:
            problem = (_("is missing (every city file needs {fields})",
                         fields=list_choices(needed, limit=20)) if needed else _("is missing"))
            fix = (_("add a `{name}:` line to {parent}", name=name, parent=parent) if parent
                   else _("add a `{name}:` line to the file", name=name))
            self.fail(where, problem, fix)
        if raw[name] is None:
            self.fail(where, _("is empty"), _("write a value after `{name}:`", name=name))

    def known_fields(self, raw: dict, allowed: tuple[str, ...], parent: str) -> None:
        for name in raw:
            if name not in allowed:
                where = f"{parent}.{name}" if parent else str(name)
                self.fail(where, _("is not a field the workbook knows (the fields here are "
                                   "{fields})", fields=list_choices(allowed, limit=20)),
                          _("correct the spelling or remove it.{hint}",
                            hint=did_you_mean(str(name), allowed)))

    def mapping(self, raw: Any, where: str, expected: str) -> None:
        """``expected`` says what the group holds, in the page's language."""
        if not isinstance(raw, dict):
            self.fail(where, _("should hold named fields ({expected}), not {value}",
                               expected=expected, value=describe_value(raw)),
                      _("indent the fields under it as 'name: value' lines"))

    def text(self, raw: Any, where: str) -> str:
        if isinstance(raw, dict) and len(raw) == 1:  # "- Goal: faster repairs" reads as a field
            (before, after), = raw.items()
            self.fail(where, _('was read as a field called "{before}", not as text',
                               before=before),
                      _('put the whole text in double quotes ("{before}: {after}"), because a '
                        "colon followed by a space starts a field", before=before, after=after))
        if not isinstance(raw, (str, int)) or isinstance(raw, bool) or not str(raw).strip():
            self.fail(where, _("should be some text, not {value}", value=describe_value(raw)),
                      _("write a short text"))
        return str(raw).strip()

    def optional_text(self, raw: Any, where: str) -> str:
        """Text that may be left out or empty (then ""); a list or a group is still refused."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return ""
        return self.text(raw, where)

    def text_list(self, raw: Any, where: str) -> tuple[str, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail(where, _("should be a list of texts, not {value}",
                               value=describe_value(raw)),
                      _("write one '- item' line per entry"))
        return tuple(self.text(item, f"{where}[{i + 1}]") for i, item in enumerate(raw))

    def choice(self, raw: Any, where: str, choices: list[str],
               labels: dict[str, str] | None = None, suggestion: str | None = None) -> str:
        """Accept one of ``choices``; ``labels`` name them ("es" (Spanish)) in the message."""
        if raw not in choices:
            def named(choice: str) -> str:
                return f'"{choice}" ({_(labels[choice])})' if labels else f'"{choice}"'

            listed = list_choices(choices)
            if labels:
                listed = format_list([named(c) for c in choices], "or")
            close = (_(" Did you mean {choice}?", choice=named(suggestion))
                     if suggestion in choices else did_you_mean(str(raw), choices))
            self.fail(where, _("is {value}, which is not one of the choices",
                               value=describe_value(raw)),
                      _("use one of {choices}.{hint}", choices=listed, hint=close))
        return raw

    def yes_no(self, raw: Any, where: str) -> bool:
        if not isinstance(raw, bool):
            self.fail(where, _("should be true or false, not {value}", value=describe_value(raw)),
                      _("write true or false, without quotes"))
        return raw

    def number(self, raw: Any, where: str, low: float | None, high: float | None,
               hint: str | None = None) -> float:
        """``hint`` (in the page's language) says what to write; "a number" by default."""
        hint = hint or _("a number")
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            self.fail(where, _("should be a number, not {value}", value=describe_value(raw)),
                      _("write {hint}", hint=hint))
        if (low is not None and raw < low) or (high is not None and raw > high):
            problem = (_("is {value:g}, but it must be between {low} and {high}", value=raw,
                         low=low, high=high) if high is not None else
                       _("is {value:g}, but it must be at least {low}", value=raw, low=low))
            self.fail(where, problem, _("write {hint}", hint=hint))
        return float(raw)

    def count(self, raw: Any, where: str, minimum: int) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < minimum:
            digits = "".join(ch for ch in str(raw) if ch.isdigit())
            fix = (_("write digits only, without commas or spaces (here: {digits})",
                     digits=digits) if isinstance(raw, str) and digits else
                   _("write digits only, without commas or spaces (e.g. 250000)"))
            self.fail(where, _("should be a whole number of at least {minimum}, not {value}",
                               minimum=minimum, value=describe_value(raw)), fix)
        return int(raw)

    def date(self, raw: Any, where: str) -> dt.date:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            self.fail(where, _("should be a date like 2025-01-31, not {value}",
                               value=describe_value(raw)),
                      _("write the date as year-month-day"))

    def unique(self, values: list[str], where: str, what: str) -> None:
        """``what`` is "id" or "name": the district field that must differ."""
        seen = set()
        for value in values:
            if value in seen:
                if what == "id":
                    self.fail(where, _('use the id "{value}" twice', value=value),
                              _("give each district its own id"))
                self.fail(where, _('use the name "{value}" twice', value=value),
                          _("give each district its own name"))
            seen.add(value)


def describe_value(raw: Any) -> str:
    """What a city file holds, in words: "empty", a text in quotes, "a list" ..."""
    if raw is None:
        return _("empty")
    if isinstance(raw, str):
        return f'"{raw}"'
    if isinstance(raw, dict):
        return _("a group of fields")
    if isinstance(raw, list):
        return _("a list")
    return repr(raw)
