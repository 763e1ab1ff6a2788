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

# What a markdown `solution` cell becomes in the participant copy; a reflection left
# at this text has not been started.
PLACEHOLDER = "Write your answer here."
# No question asks for a table this long: a longer answer is the whole data, not a summary.
MAX_TABLE_ROWS = 500
# Close-but-not-quite: within this many tolerances of the expected number, the message
# says "close" (usually a rounding) instead of "higher" or "lower".
CLOSE_TOLERANCES = 5
NONE_MESSAGE = (
    "Your answer is empty (None). This happens when a calculation ends with print(), which "
    "shows a value but does not keep it: write answer = followed by the calculation itself."
)


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
        return "empty (None)"
    if isinstance(answer, (bool, np.bool_)):
        return "True or False"
    if isinstance(answer, numbers.Number):
        return "a number"
    if isinstance(answer, str):
        return "text"
    if isinstance(answer, pd.DataFrame):
        return f"a table of {len(answer):,} rows"
    if isinstance(answer, pd.Series):
        return f"a column of {len(answer):,} values"
    if isinstance(answer, (list, tuple, set, np.ndarray)):
        return f"a list of {len(answer):,} values"
    if isinstance(answer, dict):
        return f"a dictionary of {len(answer):,} entries"
    if isinstance(answer, (pd.Timestamp, dt.date)):
        return "a date"
    if isinstance(answer, (pd.Timedelta, dt.timedelta, np.timedelta64)):
        return "a length of time"
    if hasattr(answer, "alt_text") and hasattr(answer, "figure"):
        return "a chart"
    return f"a Python {type(answer).__name__} object"


class AnswerKind:
    """What every kind of answer can do; see the subclasses."""

    label = "an answer"

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
    label = "a number"

    def tolerance(self, expected: float) -> float:
        return max(self.absolute, self.relative * abs(expected))

    def read(self, answer: Any) -> float:
        if answer is None:
            raise AnswerFormError(NONE_MESSAGE)
        if isinstance(answer, (bool, np.bool_)):
            raise AnswerFormError(f"Your answer is {answer}, which is a yes/no value, not a "
                                  "number. Write the number itself, for example 12345.")
        if isinstance(answer, (pd.Timedelta, dt.timedelta, np.timedelta64)):
            return self._read_time(answer)
        if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
            return self._read_single(answer)
        if isinstance(answer, str):
            shown = answer if len(answer) <= 30 else answer[:27] + "..."
            raise AnswerFormError(f'Your answer is text in quotes ("{shown}"). Write the number '
                                  "without quotes or commas, for example 12345.")
        if not isinstance(answer, numbers.Real):
            raise AnswerFormError(f"Your answer is {describe(answer)}, not a number. The question "
                                  "asks for one number, such as 12345 or 0.25.")
        value = float(answer)
        if math.isnan(value):
            raise AnswerFormError(
                "Your answer is NaN (\"not a number\"), which usually comes from a calculation "
                "with nothing to work on, such as a filter that kept no rows. Check the rows "
                "your calculation starts from."
            )
        if math.isinf(value):
            raise AnswerFormError("Your answer is infinite, which usually comes from dividing by "
                                  "zero. Check what you divide by.")
        return value

    def _read_time(self, answer: Any) -> float:
        days = pd.Timedelta(answer).total_seconds() / 86_400
        if self.unit == "days":
            return days
        raise AnswerFormError(f"Your answer is a length of time ({pd.Timedelta(answer)}), but the "
                              f"question asks for a number of {self.unit or 'things'}.")

    def _read_single(self, answer: Any) -> float:
        values = answer.to_numpy().ravel() if isinstance(answer, (pd.Series, pd.DataFrame)) \
            else np.asarray(answer, dtype=object).ravel()
        if len(values) == 1:
            return self.read(values[0].item() if hasattr(values[0], "item") else values[0])
        raise AnswerFormError(
            f"Your answer is {describe(answer)}; the question asks for one number. Count the "
            "rows with len(table), or pick one value out of the column."
        )

    def matches(self, given: float, expected: float) -> bool:
        margin = self.tolerance(expected) + 1e-9 * max(1.0, abs(expected))  # float round-off
        return abs(given - expected) <= margin

    def diagnose(self, given: float, expected: float) -> Diagnosis:
        shown = format_number(given)
        if self.share and 0 <= expected <= 1 and given > 1 and self.matches(given / 100, expected):
            return Diagnosis("percent instead of share", (
                f"{shown} looks like a percent. The question asks for a share between 0 and 1: "
                f"divide by 100 (so {shown}% is {format_number(given / 100)})."))
        direction = "higher" if given > expected else "lower"
        tolerance = self.tolerance(expected)
        if tolerance > 0 and abs(given - expected) <= CLOSE_TOLERANCES * tolerance:
            return Diagnosis("close", (
                f"Close: {shown} is near the figure from your city's data, but a little "
                f"{direction}. Check the rounding, or keep one more decimal place."))
        return Diagnosis(f"too {'high' if given > expected else 'low'}",
                         f"{shown} is {direction} than the figure from your city's data.")

    def summary(self, given: float) -> str:
        return format_number(given)

    def show(self, expected: float) -> str:
        text = format_number(expected)
        tolerance = self.tolerance(expected)
        if tolerance:
            low, high = format_number(expected - tolerance), format_number(expected + tolerance)
            text += f" (answers from {low} to {high} count as right)"
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
    label = "a table"

    def read(self, answer: Any) -> list[TableValue]:
        if answer is None:
            raise AnswerFormError(NONE_MESSAGE)
        if isinstance(answer, dict):
            answer = pd.Series(answer, dtype="object")
        if isinstance(answer, (pd.Series, pd.DataFrame)) and len(answer) > MAX_TABLE_ROWS:
            raise AnswerFormError(
                f"Your table has {len(answer):,} rows, one per request or more; the question asks "
                f"for one row per {self.key}. Count or group the rows first, e.g. value_counts()."
            )
        if isinstance(answer, pd.Series):
            return [self._from_pairs(answer.index, answer)]
        if isinstance(answer, pd.DataFrame):
            return self._from_frame(answer)
        raise AnswerFormError(
            f"Your answer is {describe(answer)}, but the question asks for a table with one row "
            f"per {self.key} and its {self.value}, like the result of value_counts()."
        )

    def _from_frame(self, frame: pd.DataFrame) -> list[TableValue]:
        if frame.empty:
            raise AnswerFormError("Your table is empty: it has no rows. Check the filter or "
                                  "grouping that made it.")
        numeric = [c for c in frame.columns if _is_number_column(frame[c])]
        if not numeric:
            raise AnswerFormError(f"Your table has no column of numbers, so it cannot hold the "
                                  f"{self.value}. Its columns are {list_choices(map(str, frame))}.")
        key_sources = [frame[c] for c in frame.columns if c not in numeric]
        if not isinstance(frame.index, pd.RangeIndex):
            key_sources.insert(0, pd.Series(frame.index, index=frame.index))
        if not key_sources:
            raise AnswerFormError(f"Your table has numbers but no column naming each {self.key}. "
                                  f"Keep the {self.key} names as a column or as the row labels.")
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
            raise AnswerFormError(f"Your table's values are not numbers (the first is "
                                  f"{list(values)[0]!r}); the question asks for the {self.value}.")
        rows: dict[str, tuple[str, float]] = {}
        for key, number in zip(list(keys), numbers_.astype(float), strict=True):
            if isinstance(key, tuple):
                raise AnswerFormError(f"Your table has rows labelled by several columns at once; "
                                      f"the question asks for one row per {self.key}.")
            if math.isnan(number):
                continue  # e.g. a district the population table does not know: no rate
            normal = _normal_key(key)
            if normal in rows:
                raise AnswerFormError(f'Your table lists "{key}" more than once; the question '
                                      f"asks for one row per {self.key}.")
            rows[normal] = (str(key), float(number))
        if not rows:
            raise AnswerFormError("Every number in your table is empty (NaN). Check that the two "
                                  "tables you combined use the same names.")
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
            return Diagnosis("wrong rows", (
                f'"{best.shown(extra[0])}" should not be in the table: it is not one of the '
                f"{wanted} {self.key}s the question asks for."))
        different = [k for k in best.keys if not self._close(best.value(k), target.value(k))]
        if different:
            first = different[0]
            some = "one" if len(different) == 1 else f"{len(different)}"
            return Diagnosis("wrong numbers", (
                f"The {self.key}s are right, but {some} of the numbers differ"
                f"{'' if len(different) == 1 else ', for example'} for {best.shown(first)}: "
                f"your table has {format_number(best.value(first))}."))
        return Diagnosis("wrong order", (
            f"The {self.key}s and numbers are right, but the order is not: sort the rows from "
            "largest to smallest."))

    def _wrong_size(self, best: TableValue, wanted: int, extra: list[str]) -> Diagnosis:
        rows = len(best.rows)
        text = (f"Your table has {rows:,} row{'s' if rows != 1 else ''}; the question asks for "
                f"{wanted:,} (one per {self.key}).")
        if extra and rows > wanted:
            text += f' For example, "{best.shown(extra[0])}" should not be there.'
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
    label = "a choice"

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.options]

    def label_of(self, key: str) -> str:
        return dict(self.options)[key]

    def read(self, answer: Any) -> str:
        if answer is None:
            raise AnswerFormError(NONE_MESSAGE)
        if not isinstance(answer, str):
            raise AnswerFormError(f"Your answer is {describe(answer)}. Choose one of "
                                  f"{list_choices(self.keys)}, in quotes, like \"{self.keys[0]}\".")
        text = answer.strip()
        letter = _LETTER.match(text)
        if letter and letter.group(1).upper() in self.keys:
            return letter.group(1).upper()
        for key, words in self.options:
            if _normal_key(words) == _normal_key(text):
                return key
        labels = [words for _, words in self.options]
        raise AnswerFormError(f'"{text[:40]}" is not one of the options.'
                              f"{did_you_mean(text, labels)} Choose one of "
                              f"{list_choices(self.keys)}, in quotes.")

    def matches(self, given: str, expected: str) -> bool:
        return given == expected

    def diagnose(self, given: str, expected: str) -> Diagnosis:
        return Diagnosis("another option", f"{given} is not the best answer.")

    def show(self, expected: str) -> str:
        return f"{expected}. {self.label_of(expected)}"


@dataclass(frozen=True)
class ChartChoice(Choice):
    """A choice among charts: each option is drawn from the city's own data.

    ``charts`` maps each option's letter to a function that draws it from a city's
    data (see ``Exercises.show_choices``).
    """

    charts: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    label = "a chart choice"


@dataclass(frozen=True)
class Reflection(AnswerKind):
    """A few sentences of the learner's own. Always saved, never graded.

    >>> Reflection().is_untouched("Write your answer here."), Reflection().read(" I would ask. ")
    (True, 'I would ask.')
    """

    label = "a reflection"

    def is_untouched(self, answer: Any) -> bool:
        if answer is Ellipsis or answer is None:
            return True
        return isinstance(answer, str) and answer.strip() in {"", PLACEHOLDER, "..."}

    def read(self, answer: Any) -> str:
        if not isinstance(answer, str):
            raise AnswerFormError(f"Your reflection is {describe(answer)}. Write it as text "
                                  'between quotes, for example: reflection = "I would ask ..."')
        return answer.strip()

    def matches(self, given: str, expected: Any) -> bool:
        return True  # reflections are recorded, never graded

    def diagnose(self, given: str, expected: Any) -> Diagnosis:
        return Diagnosis("", "")

    def summary(self, given: str) -> str:
        return given  # the reflection itself, in full

    def show(self, expected: Any) -> str:
        return "A reflection: any honest answer is right."
