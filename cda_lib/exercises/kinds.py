"""Answer kinds: how an answer is read, compared with the expected one, and explained.

Five kinds cover every exercise: a :class:`Number` (with a tolerance that fits the
quantity), a :class:`Table` (compared by content, in any row order unless order is
the point), a :class:`Choice` among options, a :class:`ChartChoice` among charts, and
a :class:`Reflection` (recorded, never graded). Each kind turns whatever the learner
passed in into something comparable, or says kindly why it cannot: reading an answer
raises only :class:`AnswerFormError`, whose message is meant for the learner.

>>> Number(absolute=0.05).matches(Number().read(3.41), 3.4)
True
>>> Number().read("12,345")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cda_lib.exercises.kinds.AnswerFormError: Your answer is text in quotes ("12,345"). Write ...
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cda_lib.core.errors import did_you_mean, list_choices
from cda_lib.text.numbers import format_number
from cda_lib.text.translation import N_, gettext as _, ngettext

# What a markdown `solution` cell becomes in the participant copy; a reflection left
# at this text has not been started.
PLACEHOLDER = N_("Write your answer here.")
# No question asks for a table this long: a longer answer is the whole data, not a summary.
MAX_TABLE_ROWS = 500
# Close-but-not-quite: within this many tolerances of the expected number, the message
# says "close" (usually a rounding) instead of "higher" or "lower".
CLOSE_TOLERANCES = 5
NONE_MESSAGE = N_(
    "Your answer is empty (None). This happens when a calculation ends with print(), which "
    "shows a value but does not keep it: write answer = followed by the calculation itself."
)
# The words exercise files give a table's rows and values and a number's unit, translated
# where a message names them ("one row per district").
KIND_WORDS = (N_("district"), N_("request type"), N_("number of requests"),
              N_("requests per 1,000 residents"), N_("requests per 1,000 residents a year"),
              N_("requests"), N_("days"), N_("things"),
              N_("row"), N_("value"))


class AnswerFormError(Exception):
    """An answer that cannot be read as the kind the question asks for; says why, kindly."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Diagnosis:
    """Why an answer that is not right is not right: a short name and a message."""

    name: str
    message: str


def describe(answer: Any) -> str:
    """Say in plain words what kind of thing an answer is.

    >>> describe(3), describe("3"), describe(pd.Series([1, 2]))
    ('a number', 'text', 'a column of 2 values')
    """
    if answer is None:
        return _("empty (None)")
    if isinstance(answer, (bool, np.bool_)):
        return _("True or False")
    if isinstance(answer, numbers.Number):
        return _("a number")
    if isinstance(answer, str):
        return _("text")
    if isinstance(answer, pd.DataFrame):
        return ngettext("a table of {count:,} row", "a table of {count:,} rows", len(answer))
    if isinstance(answer, pd.Series):
        return ngettext("a column of {count:,} value", "a column of {count:,} values",
                        len(answer))
    if isinstance(answer, (list, tuple, set, np.ndarray)):
        return ngettext("a list of {count:,} value", "a list of {count:,} values", len(answer))
    if isinstance(answer, dict):
        return ngettext("a dictionary of {count:,} entry", "a dictionary of {count:,} entries",
                        len(answer))
    if isinstance(answer, (pd.Timestamp, dt.date)):
        return _("a date")
    if isinstance(answer, (pd.Timedelta, dt.timedelta, np.timedelta64)):
        return _("a length of time")
    if hasattr(answer, "alt_text") and hasattr(answer, "figure"):
        return _("a chart")
    return _("a Python {name} object", name=type(answer).__name__)


class AnswerKind:
    """What every kind of answer can do; see the subclasses."""

    label = N_("an answer")  # what a message says the question asks for

    def is_untouched(self, answer: Any) -> bool:
        """True while the answer is still the ``...`` the participant copy starts with."""
        return answer is Ellipsis

    def read(self, answer: Any) -> Any:
        """Turn the learner's answer into a comparable value, or raise AnswerFormError."""
        raise NotImplementedError

    def matches(self, given: Any, expected: Any) -> bool:
        """True when ``given`` (already read) counts as ``expected``."""
        raise NotImplementedError

    def diagnose(self, given: Any, expected: Any) -> Diagnosis:
        """A kind message for an answer that matched neither the expected one nor a mistake."""
        raise NotImplementedError

    def summary(self, given: Any) -> str:
        """A short text of the answer, for the participant's journal."""
        return str(given)[:200]

    def show(self, expected: Any) -> str:
        """The expected answer as text, for the coach's copy."""
        return str(expected)


@dataclass(frozen=True)
class Number(AnswerKind):
    """One number. It counts as right within ``absolute`` of the expected value, or within
    ``relative`` times it, whichever is wider.

    ``unit`` names the quantity in messages ("days", "requests"); an answer given as a
    length of time is read in days when the unit is days. ``share=True`` marks a share
    between 0 and 1, so that an answer 100 times too big is recognised as a percent.

    >>> Number(relative=0.1).matches(105, 100), Number(relative=0.1).matches(111, 100)
    (True, False)
    """

    absolute: float = 0.0
    relative: float = 0.0
    unit: str = ""
    share: bool = False
    label = N_("a number")

    def tolerance(self, expected: float) -> float:
        return max(self.absolute, self.relative * abs(expected))

    def read(self, answer: Any) -> float:
        if answer is None:
            raise AnswerFormError(_(NONE_MESSAGE))
        if isinstance(answer, (bool, np.bool_)):
            raise AnswerFormError(_("Your answer is {answer}, which is a yes/no value, not a "
                                    "number. Write the number itself, for example 12345.",
                                    answer=answer))
        if isinstance(answer, (pd.Timedelta, dt.timedelta, np.timedelta64)):
            return self._read_time(answer)
        if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
            return self._read_single(answer)
        if isinstance(answer, str):
            shown = answer if len(answer) <= 30 else answer[:27] + "..."
            raise AnswerFormError(_('Your answer is text in quotes ("{shown}"). Write the number '
                                    "without quotes or commas, for example 12345.", shown=shown))
        if not isinstance(answer, numbers.Real):
            raise AnswerFormError(_("Your answer is {kind}, not a number. The question asks for "
                                    "one number, such as 12345 or 0.25.", kind=describe(answer)))
        value = float(answer)
        if math.isnan(value):
            raise AnswerFormError(_(
                "Your answer is NaN (\"not a number\"), which usually comes from a calculation "
                "with nothing to work on, such as a filter that kept no rows. Check the rows "
                "your calculation starts from."
            ))
        if math.isinf(value):
            raise AnswerFormError(_("Your answer is infinite, which usually comes from dividing "
                                    "by zero. Check what you divide by."))
        return value

    def _read_time(self, answer: Any) -> float:
        days = pd.Timedelta(answer).total_seconds() / 86_400
        if self.unit == "days":
            return days
        raise AnswerFormError(_("Your answer is a length of time ({length}), but the question "
                                "asks for a number of {unit}.", length=str(pd.Timedelta(answer)),
                                unit=_(self.unit or "things")))

    def _read_single(self, answer: Any) -> float:
        values = answer.to_numpy().ravel() if isinstance(answer, (pd.Series, pd.DataFrame)) \
            else np.asarray(answer, dtype=object).ravel()
        if len(values) == 1:
            return self.read(values[0].item() if hasattr(values[0], "item") else values[0])
        raise AnswerFormError(_(
            "Your answer is {kind}; the question asks for one number. Count the rows with "
            "len(table), or pick one value out of the column.", kind=describe(answer)))

    def matches(self, given: float, expected: float) -> bool:
        margin = self.tolerance(expected) + 1e-9 * max(1.0, abs(expected))  # float round-off
        return abs(given - expected) <= margin

    def diagnose(self, given: float, expected: float) -> Diagnosis:
        shown = format_number(given)
        if self.share and 0 <= expected <= 1 and given > 1 and self.matches(given / 100, expected):
            return Diagnosis("percent instead of share", _(
                "{shown} looks like a percent. The question asks for a share between 0 and 1: "
                "divide by 100 (so {shown}% is {share}).", shown=shown,
                share=format_number(given / 100)))
        higher = given > expected
        tolerance = self.tolerance(expected)
        if tolerance > 0 and abs(given - expected) <= CLOSE_TOLERANCES * tolerance:
            return Diagnosis("close", _(
                "Close: {shown} is near the figure from your city's data, but a little higher. "
                "Check the rounding, or keep one more decimal place.", shown=shown) if higher
                else _("Close: {shown} is near the figure from your city's data, but a little "
                       "lower. Check the rounding, or keep one more decimal place.", shown=shown))
        return Diagnosis(f"too {'high' if higher else 'low'}",
                         _("{shown} is higher than the figure from your city's data.",
                           shown=shown) if higher else
                         _("{shown} is lower than the figure from your city's data.",
                           shown=shown))

    def summary(self, given: float) -> str:
        return format_number(given)

    def show(self, expected: float) -> str:
        text = format_number(expected)
        tolerance = self.tolerance(expected)
        if tolerance:
            low, high = format_number(expected - tolerance), format_number(expected + tolerance)
            text += " " + _("(answers from {low} to {high} count as right)", low=low, high=high)
        return text


@dataclass(frozen=True)
class TableValue:
    """A table read for comparison: normalised key → (key as written, value), in row order."""

    rows: dict[str, tuple[str, float]]

    @property
    def keys(self) -> list[str]:
        return list(self.rows)

    def value(self, key: str) -> float:
        return self.rows[key][1]

    def shown(self, key: str) -> str:
        return self.rows[key][0]


def _normal_key(key: Any) -> str:
    return " ".join(str(key).split()).casefold()


@dataclass(frozen=True)
class Table(AnswerKind):
    """A table of one number per key (a ``value_counts()`` result, a column indexed by
    name, or a table with a name column and number columns).

    It counts as right when it holds the same keys with the same numbers (within the
    tolerance), in any row order unless ``ordered``. A key whose expected number is 0
    may be left out. In a table with several columns, any column of names paired with
    any column of numbers may hold the answer.

    >>> kind = Table(key="district", value="requests")
    >>> expected = pd.Series({"North": 2, "South": 1})
    >>> kind.matches(kind.read(pd.Series({"South": 1, "North": 2})), expected)
    True
    """

    key: str = "row"
    value: str = "value"
    absolute: float = 0.0
    relative: float = 0.0
    ordered: bool = False
    label = N_("a table")

    def read(self, answer: Any) -> list[TableValue]:
        if answer is None:
            raise AnswerFormError(_(NONE_MESSAGE))
        if isinstance(answer, dict):
            answer = pd.Series(answer, dtype="object")
        if isinstance(answer, (pd.Series, pd.DataFrame)) and len(answer) > MAX_TABLE_ROWS:
            raise AnswerFormError(_(
                "Your table has {count:,} rows, one per request or more; the question asks for "
                "one row per {key}. Count or group the rows first, e.g. value_counts().",
                count=len(answer), key=_(self.key)))
        if isinstance(answer, pd.Series):
            return [self._from_pairs(answer.index, answer)]
        if isinstance(answer, pd.DataFrame):
            return self._from_frame(answer)
        raise AnswerFormError(_(
            "Your answer is {kind}, but the question asks for a table with one row per {key} and "
            "its {value}, like the result of value_counts().", kind=describe(answer),
            key=_(self.key), value=_(self.value)))

    def _from_frame(self, frame: pd.DataFrame) -> list[TableValue]:
        if frame.empty:
            raise AnswerFormError(_("Your table is empty: it has no rows. Check the filter or "
                                    "grouping that made it."))
        numeric = [c for c in frame.columns if _is_number_column(frame[c])]
        if not numeric:
            raise AnswerFormError(_("Your table has no column of numbers, so it cannot hold the "
                                    "{value}. Its columns are {columns}.", value=_(self.value),
                                    columns=list_choices(map(str, frame))))
        key_sources = [frame[c] for c in frame.columns if c not in numeric]
        if not isinstance(frame.index, pd.RangeIndex):
            key_sources.insert(0, pd.Series(frame.index, index=frame.index))
        if not key_sources:
            raise AnswerFormError(_("Your table has numbers but no column naming each {key}. "
                                    "Keep the {key} names as a column or as the row labels.",
                                    key=_(self.key)))
        candidates, problems = [], []
        for keys in key_sources:
            for column in numeric:
                try:
                    candidates.append(self._from_pairs(keys, frame[column]))
                except AnswerFormError as problem:
                    problems.append(problem)
        if not candidates:
            raise problems[0]
        return candidates

    def _from_pairs(self, keys: Any, values: pd.Series) -> TableValue:
        raw = pd.Series(list(values), dtype="object")
        numbers_ = pd.to_numeric(raw, errors="coerce")
        if len(numbers_) and numbers_.isna().all() and not raw.isna().all():
            raise AnswerFormError(_("Your table's values are not numbers (the first is "
                                    "{first}); the question asks for the {value}.",
                                    first=repr(list(values)[0]), value=_(self.value)))
        rows: dict[str, tuple[str, float]] = {}
        for key, number in zip(list(keys), numbers_.astype(float), strict=True):
            if isinstance(key, tuple):
                raise AnswerFormError(_("Your table has rows labelled by several columns at "
                                        "once; the question asks for one row per {key}.",
                                        key=_(self.key)))
            if math.isnan(number):
                continue  # e.g. a district the population table does not know: no rate
            normal = _normal_key(key)
            if normal in rows:
                raise AnswerFormError(_('Your table lists "{name}" more than once; the question '
                                        "asks for one row per {key}.", name=key,
                                        key=_(self.key)))
            rows[normal] = (str(key), float(number))
        if not rows:
            raise AnswerFormError(_("Every number in your table is empty (NaN). Check that the "
                                    "two tables you combined use the same names."))
        return TableValue(rows)

    def expected_value(self, expected: Any) -> TableValue:
        return expected if isinstance(expected, TableValue) else self.read(expected)[0]

    def matches(self, given: list[TableValue], expected: Any) -> bool:
        target = self.expected_value(expected)
        return any(self._same(candidate, target) for candidate in given)

    def _close(self, given: float, expected: float) -> bool:
        margin = max(self.absolute, self.relative * abs(expected)) + 1e-9 * max(1.0, abs(expected))
        return abs(given - expected) <= margin

    def _missing(self, candidate: TableValue, target: TableValue) -> list[str]:
        return [k for k in target.keys
                if k not in candidate.rows and not self._close(0.0, target.value(k))]

    def _same(self, candidate: TableValue, target: TableValue) -> bool:
        extra = [k for k in candidate.keys if k not in target.rows]
        if extra or self._missing(candidate, target):
            return False
        if not all(self._close(candidate.value(k), target.value(k)) for k in candidate.keys):
            return False
        return not self.ordered or _order(candidate, target) == target.keys[:len(candidate.rows)]

    def diagnose(self, given: list[TableValue], expected: Any) -> Diagnosis:
        target = self.expected_value(expected)
        best = max(given, key=lambda c: (len(set(c.keys) & set(target.keys)),
                                         sum(self._close(c.value(k), target.value(k))
                                             for k in c.keys if k in target.rows)))
        extra = [k for k in best.keys if k not in target.rows]
        missing = self._missing(best, target)
        wanted = len(target.rows)
        if len(best.rows) != wanted and (extra or missing):
            return self._wrong_size(best, wanted, extra)
        if extra:
            return Diagnosis("wrong rows", _(
                '"{name}" should not be in the table: it is not one of the {wanted} {key}s the '
                "question asks for.", name=best.shown(extra[0]), wanted=wanted, key=_(self.key)))
        different = [k for k in best.keys if not self._close(best.value(k), target.value(k))]
        if different:
            first = different[0]
            values = {"key": _(self.key), "name": best.shown(first),
                      "yours": format_number(best.value(first))}
            return Diagnosis("wrong numbers", ngettext(
                "The {key}s are right, but one of the numbers differs for {name}: your table has "
                "{yours}.",
                "The {key}s are right, but {count} of the numbers differ, for example for "
                "{name}: your table has {yours}.", len(different), **values))
        return Diagnosis("wrong order", _(
            "The {key}s and numbers are right, but the order is not: sort the rows from "
            "largest to smallest.", key=_(self.key)))

    def _wrong_size(self, best: TableValue, wanted: int, extra: list[str]) -> Diagnosis:
        rows = len(best.rows)
        text = ngettext("Your table has {count:,} row; the question asks for {wanted:,} (one "
                        "per {key}).",
                        "Your table has {count:,} rows; the question asks for {wanted:,} (one "
                        "per {key}).", rows, wanted=wanted, key=_(self.key))
        if extra and rows > wanted:
            text += " " + _('For example, "{name}" should not be there.',
                            name=best.shown(extra[0]))
        return Diagnosis("wrong number of rows", text)

    def summary(self, given: list[TableValue]) -> str:
        rows = given[0].rows.values()
        text = "; ".join(f"{key}: {format_number(value)}" for key, value in rows)
        return text[:200]

    def show(self, expected: Any) -> str:
        target = self.expected_value(expected)
        return "; ".join(f"{key}: {format_number(value)}" for key, value in target.rows.values())


def _order(candidate: TableValue, target: TableValue) -> list[str]:
    return [k for k in candidate.keys if k in target.rows]


def _is_number_column(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


_LETTER = re.compile(r"^\(?\s*([A-Za-z])\s*[).:]?$")


@dataclass(frozen=True)
class Choice(AnswerKind):
    """One option out of several, given by its letter ("B") or its words.

    >>> kind = Choice(options=(("A", "Spring"), ("B", "Summer")))
    >>> kind.read("b"), kind.read(" summer "), kind.read("(A)")
    ('B', 'B', 'A')
    """

    options: tuple[tuple[str, str], ...] = ()
    label = N_("a choice")

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.options]

    def label_of(self, key: str) -> str:
        return dict(self.options)[key]

    def read(self, answer: Any) -> str:
        if answer is None:
            raise AnswerFormError(_(NONE_MESSAGE))
        if not isinstance(answer, str):
            raise AnswerFormError(_('Your answer is {kind}. Choose one of {keys}, in quotes, '
                                    'like "{first}".', kind=describe(answer),
                                    keys=list_choices(self.keys), first=self.keys[0]))
        text = answer.strip()
        letter = _LETTER.match(text)
        if letter and letter.group(1).upper() in self.keys:
            return letter.group(1).upper()
        for key, words in self.options:  # an option's words in English or the page's language
            if _normal_key(text) in {_normal_key(words), _normal_key(_(words))}:
                return key
        labels = [_(words) for _key, words in self.options]
        raise AnswerFormError(_('"{text}" is not one of the options.', text=text[:40])
                              + did_you_mean(text, labels) + " "
                              + _("Choose one of {keys}, in quotes.",
                                  keys=list_choices(self.keys)))

    def matches(self, given: str, expected: str) -> bool:
        return given == expected

    def diagnose(self, given: str, expected: str) -> Diagnosis:
        return Diagnosis("another option", _("{given} is not the best answer.", given=given))

    def show(self, expected: str) -> str:
        return f"{expected}. {_(self.label_of(expected))}"


@dataclass(frozen=True)
class ChartChoice(Choice):
    """A choice among charts: each option is drawn from the city's own data.

    ``charts`` maps each option's letter to a function that draws it from a city's
    data (see ``Exercises.show_choices``).
    """

    charts: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    label = N_("a chart choice")


@dataclass(frozen=True)
class Reflection(AnswerKind):
    """A few sentences of the learner's own. Always saved, never graded.

    >>> Reflection().is_untouched("Write your answer here."), Reflection().read(" I would ask. ")
    (True, 'I would ask.')
    """

    label = N_("a reflection")

    def is_untouched(self, answer: Any) -> bool:
        if answer is Ellipsis or answer is None:
            return True
        untouched = {"", PLACEHOLDER, _(PLACEHOLDER), "..."}  # in English or the page's language
        return isinstance(answer, str) and answer.strip() in untouched

    def read(self, answer: Any) -> str:
        if not isinstance(answer, str):
            raise AnswerFormError(_("Your reflection is {kind}. Write it as text between "
                                    'quotes, for example: reflection = "I would ask ..."',
                                    kind=describe(answer)))
        return answer.strip()

    def matches(self, given: str, expected: Any) -> bool:
        return True  # reflections are recorded, never graded

    def diagnose(self, given: str, expected: Any) -> Diagnosis:
        return Diagnosis("", "")

    def summary(self, given: str) -> str:
        return given  # the reflection itself, in full

    def show(self, expected: Any) -> str:
        return _("A reflection: any honest answer is right.")
