"""Turning a leader's question into one the data can answer.

"Are we getting better at potholes?" cannot be answered as asked: better by which
measure, where, since when, compared with what? A :class:`MeasurableQuestion` holds the
leader's words and the parts that make them measurable:

* **what**: one metric, with its definition (:data:`METRICS`);
* **which requests**: a request type and a district, or all of them;
* **when**: the period whose requests are counted;
* **compared with what**: an earlier period (the same months a year before, so the
  season is the same), or a target;
* **so what**: the decision the answer will inform, so nobody measures for its own sake.

:meth:`MeasurableQuestion.missing` lists the parts not stated yet;
:meth:`MeasurableQuestion.answer` computes the answer from the city's data with the KPI
suite (:mod:`cda_lib.metrics.kpi`), so the figure means the same here as on every later page.

>>> question = MeasurableQuestion("Are potholes getting fixed faster?")
>>> question.missing()
['what (a metric)', 'when (a period)', 'compared with what', 'so what (the decision)']
>>> question = MeasurableQuestion("Are potholes getting fixed faster?", metric="median_days",
...     service_code="Pothole repair", period="2025-03", compared_with="2024-03",
...     decision="whether to keep the second crew")
>>> print(question.describe())
Median days to close of Pothole repair requests citywide, opened in March 2025, compared \
with March 2024, to decide whether to keep the second crew.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.metrics import kpi
from cda_lib.metrics.inputs import UnknownChoiceError
from cda_lib.metrics.periods import describe_period, period_bounds
from cda_lib.metrics.selection import select_requests
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_difference, format_number, format_value
from cda_lib.text.translation import N_, gettext as _, ngettext

# The metrics a question can use: the KPI suite's columns (cda_lib.metrics.kpi.kpi_table), with
# how each is read, its unit and which way is better (None: neither, e.g. demand).
METRICS: dict[str, tuple[str, str, str | None]] = {
    "requests": (N_("Requests"), "requests", None),
    "median_days": (N_("Median days to close"), "days", "lower_is_better"),
    "p90_days": (N_("90th percentile days to close"), "days", "lower_is_better"),
    "on_time_share": (N_("Share closed within the service standard"), "share",
                      "higher_is_better"),
    "reopen_rate": (N_("Reopen rate"), "share", "lower_is_better"),
    "cancellation_rate": (N_("Cancellation rate"), "share", "lower_is_better"),
}
# The parts of a measurable question, in the order a leader is asked for them.
PARTS = (N_("what (a metric)"), N_("when (a period)"), N_("compared with what"),
         N_("so what (the decision)"))
# Two values closer than this are "about the same": a hundredth of a day, or a tenth of a
# percentage point, is below what any figure on these pages is rounded to.
SAME = {"days": 0.01, "share": 0.001, "requests": 0.5}


class QuestionError(CdaError, ValueError):
    """A question names a metric or a part the workbook cannot measure."""


@dataclass(frozen=True, repr=False)
class QuestionAnswer:
    """The answer to a measurable question: the value, the comparison and one sentence."""

    question: MeasurableQuestion
    value: float | None
    compared: float | None
    requests: int  # the requests the value is of (for the on-time share: those now due)
    compared_requests: int | None
    note: str = ""

    @property
    def change(self) -> float | None:
        """The value minus the comparison (None when either is missing)."""
        if self.value is None or self.compared is None:
            return None
        return self.value - self.compared

    def sentence(self) -> str:
        """The answer in words, with the comparison and which way is better."""
        q = self.question
        name, unit, direction = METRICS[q.metric]
        subject = _upper_first(q.which()) if q.metric == "requests" else \
            _("{metric}, {which}", metric=_(name), which=q.which())
        if self.value is None:
            return _with_note(_("{subject}, opened {when}: no answer.", subject=subject,
                                when=q.when()), self.note)
        if q.metric == "requests":
            text = _("{subject}: {value} opened {when}", subject=subject,
                     value=format_number(self.value, 0), when=q.when())
        elif q.metric == "on_time_share":  # its share is of the requests already due
            text = _("{subject}: {value} of the {count:,} requests opened {when} whose standard "
                     "has passed", subject=subject, value=_format(self.value, unit),
                     count=self.requests, when=q.when())
        else:
            text = _("{subject}: {value} for the {count:,} requests opened {when}",
                     subject=subject, value=_format(self.value, unit), count=self.requests,
                     when=q.when())
        if q.compared_with is None:
            return _with_note(text + ".", self.note)
        if self.compared is None:
            return _with_note(_("{text}; no figure {period}.", text=text,
                                period=q.compared_words()), self.note)
        values = {"text": text, "compared": _format(self.compared, unit),
                  "period": q.compared_words()}
        change = self.change
        if abs(change) < SAME[unit]:
            return _with_note(_("{text}, against {compared} {period}: about the same.",
                                **values), self.note)
        values["size"] = _difference(abs(change), unit)
        sentence = _CHANGE_SENTENCES[(change > 0, _better(change > 0, direction))]
        return _with_note(_(sentence, **values), self.note)

    def __str__(self) -> str:
        return self.sentence()

    def __repr__(self) -> str:
        return self.sentence()

    def _repr_html_(self) -> str:
        return f'<p class="cda-metric"><strong>{html.escape(self.sentence())}</strong></p>'


@dataclass(frozen=True)
class MeasurableQuestion:
    """A leader's question, and the parts that make it measurable (see the module text).

    ``service_code`` takes a code or a name ("POTHOLE" or "Pothole repair"); ``district``
    a district name; ``period`` and ``compared_with`` a month ("2025-03"), a quarter
    ("2025Q3"), a year ("2025") or a pair of dates. Empty parts mean "all requests" for
    the type and district, and "not stated yet" for the others.
    """

    asked: str
    metric: str | None = None
    service_code: str | None = None
    district: str | None = None
    period: str | tuple[str, str] | None = None
    compared_with: str | tuple[str, str] | None = None
    decision: str = ""

    def __post_init__(self) -> None:
        if self.metric is not None and self.metric not in METRICS:
            raise QuestionError(_('There is no metric "{metric}".', metric=self.metric)
                                + did_you_mean(str(self.metric), METRICS) + " "
                                + _("The metrics are {choices}.",
                                    choices=list_choices(METRICS)))
        for value in (self.period, self.compared_with):
            if value is not None:
                period_bounds(value)  # a clear error now, not when answering

    def missing(self) -> list[str]:
        """The parts of a measurable question this one does not state yet."""
        stated = (self.metric is not None, self.period is not None,
                  self.compared_with is not None, bool(self.decision.strip()))
        return [_(part) for part, given in zip(PARTS, stated, strict=True) if not given]

    @property
    def is_measurable(self) -> bool:
        """True when the data can answer it: a metric and a period are stated."""
        return self.metric is not None and self.period is not None

    def which(self) -> str:
        """Which requests, in words: "Pothole repair requests in Mill District"."""
        if self.service_code and self.district:
            return _("{service} requests in {district}", service=self.service_code,
                     district=self.district)
        if self.service_code:
            return _("{service} requests citywide", service=self.service_code)
        if self.district:
            return _("all requests in {district}", district=self.district)
        return _("all requests citywide")

    def when(self) -> str:
        """The period as a phrase: "in March 2025", "between 1 July and ..."."""
        return _period_phrase(self.period) if self.period is not None else _("(no period yet)")

    def compared_words(self) -> str:
        """The comparison period as a phrase ("" when there is none)."""
        return _period_phrase(self.compared_with) if self.compared_with is not None else ""

    def describe(self) -> str:
        """The measurable version of the question in one sentence (parts not stated say so)."""
        if self.metric is None:
            return _('"{asked}" names no metric yet: what would show the answer?',
                     asked=self.asked)
        values = {"metric": _(METRICS[self.metric][0]), "which": self.which(),
                  "when": self.when(), "decision": self.decision.strip()}
        if self.compared_with is not None:
            values["compared"] = _period_words(self.compared_with)
            if values["decision"]:
                return _("{metric} of {which}, opened {when}, compared with {compared}, to "
                         "decide {decision}.", **values)
            return _("{metric} of {which}, opened {when}, compared with {compared}.", **values)
        if values["decision"]:
            return _("{metric} of {which}, opened {when}, to decide {decision}.", **values)
        return _("{metric} of {which}, opened {when}.", **values)

    def answer(self, requests: pd.DataFrame, standards=None, *, as_of) -> QuestionAnswer:
        """Compute the answer from the city's requests (``data.requests``), its service
        standards (``data.city.service_standards``, for the on-time share) and the moment
        the data was extracted (``data.as_of``)."""
        if not self.is_measurable:
            needed = [_(part) for part, given in zip(PARTS[:2], (self.metric is not None,
                                                                  self.period is not None),
                                                      strict=True) if not given]
            raise QuestionError(_('This question cannot be answered yet: it needs {parts}. Add '
                                  'them, e.g. metric="median_days", period="2025".',
                                  parts=list_choices(needed)))
        value, count, note = self._measure(requests, standards, as_of, self.period)
        compared = compared_count = None
        if self.compared_with is not None:
            compared, compared_count, other = self._measure(requests, standards, as_of,
                                                            self.compared_with)
            note = " ".join(n for n in (note, other) if n)
        return QuestionAnswer(self, value, compared, count, compared_count, note)

    def _measure(self, requests: pd.DataFrame, standards, as_of,
                 period) -> tuple[float | None, int, str]:
        kinds = select_requests(requests, service_code=self.service_code,
                                    district=self.district)  # a misspelt name: a clear error
        try:
            chosen = select_requests(kinds, period=period)
        except UnknownChoiceError:
            return None, 0, _upper_first(_("{period}, the data has no such requests to "
                                           "measure.", period=_period_phrase(period)))
        row = kpi.kpi_table(chosen, standards, as_of=as_of, by=()).iloc[0]
        count = int(row["requests"])
        if self.metric == "requests":
            return float(count), count, ""
        value = row[self.metric]
        if pd.isna(value):
            return None, count, _upper_first(_("{period}: {reason}",
                                               period=_period_phrase(period),
                                               reason=_first_sentences(row["note"])))
        note = ""
        if self.metric.endswith("_days") and bool(row[self.metric.replace("_days", "_at_least")]):
            note = _upper_first(_("{period}, too many requests are still open: that figure is "
                                  "a lower bound.", period=_period_phrase(period)))
        if self.metric == "on_time_share":  # a share of the requests whose standard passed
            pending = int(row["on_time_pending"])
            if pending:
                note = _upper_first(ngettext(
                    "{period}, {count:,} more request is still within its standard, so it "
                    "is not counted yet.", "{period}, {count:,} more requests are still "
                    "within their standard, so they are not counted yet.", pending,
                    period=_period_phrase(period)))
            return float(value), int(row["on_time_known"]), note
        return float(value), count, note

    def _repr_html_(self) -> str:
        rows = [(_("Asked"), self.asked),
                (_("What"), _(METRICS[self.metric][0]) if self.metric else None),
                (_("Which requests"), self.which()),
                (_("When"), _period_words(self.period) if self.period is not None else None),
                (_("Compared with"), _period_words(self.compared_with)
                 if self.compared_with is not None else None),
                (_("So what"), self.decision.strip() or None)]
        not_stated = "<em>" + html.escape(_("not stated yet")) + "</em>"
        cells = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(label)}</th>"
            f"<td>{html.escape(value) if value else not_stated}</td></tr>"
            for label, value in rows)
        return f'<table class="cda-question">{cells}</table>'


def _period_words(period) -> str:
    """ "March 2025", "Q3 2025", "1 July 2025 to 31 December 2025"."""
    if isinstance(period, (tuple, list)):
        start, end = period_bounds(period)
        return _("{start} to {end}", start=_day(start), end=_day(end))
    return describe_period(str(period))


def _period_phrase(period) -> str:
    """ "in March 2025", "between 1 July 2025 and 31 December 2025"."""
    if isinstance(period, (tuple, list)):
        start, end = period_bounds(period)
        return _("between {start} and {end}", start=_day(start), end=_day(end))
    return _("in {period}", period=describe_period(str(period)))


def _day(moment: pd.Timestamp) -> str:
    return format_date(moment, "long")


def _better(higher: bool, direction: str | None) -> bool | None:
    """Whether a change this way is better (None: neither way is, as for demand)."""
    return None if direction is None else higher == (direction == "higher_is_better")


def _with_note(text: str, note: str) -> str:
    return f"{text} {note}" if note else text


# (higher, better) -> the sentence of a change: more or fewer requests (neither is better),
# or a figure higher or lower, which is better or worse.
_CHANGE_SENTENCES = {
    (True, None): N_("{text}, against {compared} {period}: {size} more."),
    (False, None): N_("{text}, against {compared} {period}: {size} fewer."),
    (True, True): N_("{text}, against {compared} {period}: {size} higher, "
                     "which is better."),
    (True, False): N_("{text}, against {compared} {period}: {size} higher, "
                      "which is worse."),
    (False, True): N_("{text}, against {compared} {period}: {size} lower, "
                      "which is better."),
    (False, False): N_("{text}, against {compared} {period}: {size} lower, "
                       "which is worse."),
}


def _format(value: float, unit: str) -> str:
    """A value in its unit; request counts without the word, as the sentence names them."""
    return format_number(value, 0) if unit == "requests" else format_value(value, unit)


def _difference(value: float, unit: str) -> str:
    """The size of a change; request counts without the word ("120 more")."""
    return format_number(value, 0) if unit == "requests" else format_difference(value, unit)


def _first_sentences(note: str) -> str:
    """The first sentence of a KPI note, starting in lower case to follow a colon."""
    text = str(note).strip()
    if not text:
        return _("no number.")
    first = text.split(". ")[0].rstrip(".") + "."
    return first[0].lower() + first[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
