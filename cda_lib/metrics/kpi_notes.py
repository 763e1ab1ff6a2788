"""The words of the KPI table's ``note`` column: why a number is missing or a lower bound.

:class:`KpiNotes` collects, row by row, the sentences the KPI suite (:mod:`cda_lib.metrics.kpi`)
writes, each in the page's language and tagged with its topic ("on-time share", "reopen",
...), so a single-number result can quote the sentences about its own metric whatever the
language.

>>> notes = KpiNotes(2)
>>> notes.add_too_few(np.array([3, 40]), 30, TOO_FEW_REQUESTS, NO_REQUESTS)
>>> notes.texts().tolist()
['Too few requests to be meaningful: 3 (at least 30 are needed).', '']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cda_lib.text.translation import N_, format_message, gettext as _

GENERAL = "general"  # the topic of sentences every single-number result quotes
NO_REQUESTS = N_("No requests.")
TOO_FEW_REQUESTS = N_("Too few requests to be meaningful: {count:,} (at least {needed:,} are "
                      "needed).")
# The backlog's note for a period not yet over, one sentence per kind of period (each
# language has its own gender and article for "the week", "the month" ...).
BACKLOG_NOT_OVER = {
    "week": N_("Backlog: the week was not over when the data was extracted."),
    "month": N_("Backlog: the month was not over when the data was extracted."),
    "quarter": N_("Backlog: the quarter was not over when the data was extracted."),
    "year": N_("Backlog: the year was not over when the data was extracted."),
}


class KpiNotes:
    """Sentences collected per row, each with its topic; joined with a space at the end."""

    def __init__(self, rows: int):
        self.parts: list[tuple[np.ndarray, str]] = []
        self.rows = rows

    def add(self, mask: np.ndarray, message: str, topic: str = GENERAL, **columns) -> None:
        """``message`` (English, translated here) on the rows where ``mask`` is true, its
        placeholders filled from ``columns`` (one value per row, or one for all)."""
        texts = np.full(self.rows, "", dtype=object)
        translated = _(message)  # once: a table can have thousands of rows with a note
        for row in np.flatnonzero(np.asarray(mask, dtype=bool)):
            values = {name: _plain(value[row] if np.ndim(value) else value)
                      for name, value in columns.items()}
            try:
                texts[row] = format_message(translated, **values) if values else translated
            except (KeyError, IndexError, ValueError):  # a translation naming a wrong value
                texts[row] = format_message(message, **values)
        self.parts.append((texts, topic))

    def add_too_few(self, counts: np.ndarray, needed: int, message: str,
                    none_message: str | None = None, topic: str = GENERAL) -> None:
        """"Too few ... to be meaningful: 3 (at least 30 are needed)." where ``counts`` is
        below ``needed`` (``none_message`` instead where it is 0, if given)."""
        counts = np.asarray(counts)
        few = counts < needed
        if none_message is not None:
            self.add(few & (counts == 0), none_message, topic)
            few = few & (counts != 0)
        self.add(few, message, topic, count=counts, needed=needed)

    def texts(self) -> pd.Series:
        """Each row's sentences, in the order they were added."""
        joined = np.full(self.rows, "", dtype=object)
        for part, _topic in self.parts:
            has = part != ""
            both = has & (joined != "")
            joined = np.where(both, joined + " " + part, np.where(has, part, joined))
        return pd.Series(joined, dtype="string")

    def about(self, row: int, topic: str) -> str:
        """The sentences of ``row`` that every result quotes, then those about ``topic``;
        all of them when there are none of either."""
        general = [part[row] for part, tag in self.parts if tag == GENERAL and part[row]]
        topical = [part[row] for part, tag in self.parts
                   if topic and tag == topic and part[row]]
        everything = [part[row] for part, _tag in self.parts if part[row]]
        return " ".join(general + topical) or " ".join(everything)


def _plain(value):
    """A NumPy number as Python's, so the page's language formats it."""
    return value.item() if isinstance(value, np.generic) else value
