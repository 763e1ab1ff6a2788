"""The account every load gives: rows read = rows kept + rows set aside, with reasons.

Nothing is dropped silently. A row that cannot be used is set aside with the
reason, and the learner sees "Set aside 12 of 4,310 rows: duplicate request id". A reason
is kept in English (it is counted and compared, and stored with the row) and written in the
page's language where a line shows it.

>>> import pandas as pd
>>> raw = pd.DataFrame({"id": ["1", "2", "2"]})
>>> account = LoadAccount.start("example.csv", raw)
>>> account.set_aside(raw["id"].duplicated(), "duplicate request id")
1
>>> for line in account.summary_lines():
...     print(line)
Read 3 rows from example.csv: kept 2, set aside 1.
Set aside 1 of 3 rows: duplicate request id
"""

from __future__ import annotations

import html

import pandas as pd

from cda_lib.core.errors import LoadError
from cda_lib.text.translation import gettext as _

SOURCE_ROW = "source_row"
REASON = "reason"


class AccountReport:
    """What every account says: the totals, the reasons and the flags, in plain words.

    Subclasses give ``source``, ``rows_read``, ``rows_kept``, :meth:`reasons`,
    :meth:`flags` and :meth:`derived`.
    """

    source: str
    rows_read: int
    # what a reader should know about the load as a whole (e.g. its as-of moment), one line each
    notes: list[str]

    @property
    def rows_kept(self) -> int:
        raise NotImplementedError

    def reasons(self) -> pd.Series:
        raise NotImplementedError

    def flags(self) -> pd.Series:
        raise NotImplementedError

    def derived(self) -> pd.Series:
        """How many kept rows have each value the load worked out rather than read."""
        raise NotImplementedError

    @property
    def rows_set_aside(self) -> int:
        return self.rows_read - self.rows_kept

    def verify(self) -> None:
        """Raise if the books do not balance (they always should)."""
        if self.rows_kept + int(self.reasons().sum()) != self.rows_read:
            raise LoadError(_("Internal accounting error in the load of {source}.",
                              source=self.source))

    def summary_lines(self) -> list[str]:
        """Plain lines in the page's language: one overall, then one per reason."""
        lines = [_("Read {read:,} rows from {source}: kept {kept:,}, set aside {aside:,}.",
                   read=self.rows_read, source=self.source, kept=self.rows_kept,
                   aside=self.rows_set_aside)]
        for reason, count in self.reasons().items():
            lines.append(set_aside_line(int(count), self.rows_read, reason))
        for issue, count in self.flags().items():
            lines.append(flagged_line(int(count), self.rows_kept, issue))
        for what, count in self.derived().items():
            lines.append(derived_line(int(count), self.rows_kept, what))
        return lines + list(self.notes)

    def __repr__(self) -> str:
        return "\n".join(self.summary_lines())

    def _repr_html_(self) -> str:
        first, *rest = self.summary_lines()
        items = "".join(f"<li>{html.escape(line)}</li>" for line in rest)
        none = html.escape(_("No rows were set aside."))
        body = f"<ul>{items}</ul>" if items else f"<p>{none}</p>"
        return f'<div class="cda-account"><p><strong>{html.escape(first)}</strong></p>{body}</div>'


def set_aside_line(count: int, of_rows: int, reason: str) -> str:
    """ "Set aside 12 of 4,310 rows: duplicate request id", the reason (English) translated.

    >>> set_aside_line(12, 4310, "duplicate request id")
    'Set aside 12 of 4,310 rows: duplicate request id'
    """
    return _("Set aside {count:,} of {total:,} rows: {reason}", count=count, total=of_rows,
             reason=_(reason))


def flagged_line(count: int, of_rows: int, issue: str) -> str:
    """ "Flagged 3 of 4,310 kept rows: coordinates not readable (left empty)", translated."""
    return _("Flagged {count:,} of {total:,} kept rows: {issue}", count=count, total=of_rows,
             issue=_(issue))


def derived_line(count: int, of_rows: int, what: str) -> str:
    """ "Derived for 12 of 4,310 kept rows: closed time from ...", translated."""
    return _("Derived for {count:,} of {total:,} kept rows: {what}", count=count,
             total=of_rows, what=_(what))


class LoadAccount(AccountReport):
    """Tracks which rows of a raw table are kept and why the others were set aside.

    Rows are identified by ``source_row``: the 1-based position of the row among the
    data rows of the source (the header is not counted). Each row is set aside at most
    once, for the first reason that applies, so the counts always add up.
    """

    def __init__(self, source: str, raw: pd.DataFrame):
        self.source = source
        self.rows_read = len(raw)
        self._raw = raw.reset_index(drop=True)
        self._reasons = pd.Series(pd.NA, index=self._raw.index, dtype="string")
        self._details = pd.Series(pd.NA, index=self._raw.index, dtype="string")
        self._flags: dict[str, pd.Series] = {}
        self._derived: dict[str, pd.Series] = {}
        self.notes = []

    @classmethod
    def start(cls, source: str, raw: pd.DataFrame) -> LoadAccount:
        """Open an account over ``raw``, the table exactly as read from the source."""
        return cls(source, raw)

    def set_aside(self, mask, reason: str, details=None) -> int:
        """Set aside the rows where ``mask`` is true and not already set aside; return how many.

        ``details`` (optional, same length) holds a short per-row note, such as the
        unreadable value, shown next to the reason.
        """
        mask = pd.Series(mask, index=self._raw.index).fillna(False).astype(bool)
        new = mask & self._reasons.isna()
        self._reasons[new] = reason
        if details is not None:
            detail_series = pd.Series(details, index=self._raw.index).astype("string")
            self._details[new] = detail_series[new]
        return int(new.sum())

    def flag(self, mask, issue: str) -> None:
        """Note a problem on rows that are kept anyway (say what was done in ``issue``).

        Only rows that end up kept are counted, e.g.
        "Flagged 3 of 4,310 kept rows: coordinates not readable (left empty)".
        """
        mask = pd.Series(mask, index=self._raw.index).fillna(False).astype(bool)
        previous = self._flags.get(issue)
        self._flags[issue] = mask if previous is None else (previous | mask)

    def derive(self, mask, what: str) -> None:
        """Note a value worked out for the rows where ``mask`` is true, rather than read
        (say which value and from what in ``what``). Only rows that end up kept count, e.g.
        "Derived for 12 of 4,310 kept rows: closed time from ..."."""
        mask = pd.Series(mask, index=self._raw.index).fillna(False).astype(bool)
        previous = self._derived.get(what)
        self._derived[what] = mask if previous is None else (previous | mask)

    def flags(self) -> pd.Series:
        """How many kept rows carry each flagged issue."""
        return self._kept_counts(self._flags, "issue")

    def derived(self) -> pd.Series:
        """How many kept rows have each derived value."""
        return self._kept_counts(self._derived, "derived")

    def _kept_counts(self, masks: dict[str, pd.Series], label: str) -> pd.Series:
        kept = self.kept_mask
        counts = {name: int((mask & kept).sum()) for name, mask in masks.items()}
        series = pd.Series({k: v for k, v in counts.items() if v}, dtype="int64", name="rows")
        series.index.name = label
        return series.sort_values(ascending=False)

    @property
    def kept_mask(self) -> pd.Series:
        """True for rows that are kept."""
        return self._reasons.isna()

    @property
    def rows_kept(self) -> int:
        return int(self.kept_mask.sum())

    def kept_rows(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``table`` (aligned with the raw rows) that are kept, numbered from 0."""
        if len(table) != self.rows_read:
            raise LoadError(_("Internal accounting error: {rows} rows to filter, {read} read.",
                              rows=len(table), read=self.rows_read))
        return table.reset_index(drop=True)[self.kept_mask.to_numpy()].reset_index(drop=True)

    def set_aside_rows(self) -> pd.DataFrame:
        """The rows set aside: their source row number, reason, detail, then the raw values."""
        aside = ~self.kept_mask
        table = self._raw[aside.to_numpy()].copy()
        table.insert(0, "detail", self._details[aside].to_numpy())
        table.insert(0, REASON, self._reasons[aside].to_numpy())
        table.insert(0, SOURCE_ROW, (self._raw.index[aside.to_numpy()] + 1).to_numpy())
        return table.reset_index(drop=True)

    def reasons(self) -> pd.Series:
        """How many rows were set aside for each reason, most common first."""
        counts = self._reasons.dropna().value_counts()
        counts.index.name = REASON
        counts.name = "rows"
        return counts


class CountedAccount(AccountReport):
    """The account of a load done on disk: the set-aside rows in hand, the kept rows counted.

    ``set_aside`` holds one row per set-aside row, as :meth:`LoadAccount.set_aside_rows`
    gives them (source row, reason, detail, raw values); ``flag_counts`` how many kept
    rows carry each flagged issue, ``derived_counts`` how many have each derived value.

    >>> aside = pd.DataFrame({SOURCE_ROW: [3], REASON: ["duplicate request id"],
    ...                       "detail": [None], "id": ["2"]})
    >>> print(CountedAccount("example.parquet", 3, aside))
    Read 3 rows from example.parquet: kept 2, set aside 1.
    Set aside 1 of 3 rows: duplicate request id
    """

    def __init__(self, source: str, rows_read: int, set_aside: pd.DataFrame,
                 flag_counts: dict[str, int] | None = None, notes: list[str] | None = None,
                 derived_counts: dict[str, int] | None = None):
        self.source = source
        self.notes = list(notes or [])
        self.rows_read = int(rows_read)
        self._aside = set_aside.reset_index(drop=True)
        self._flag_counts = {k: int(v) for k, v in (flag_counts or {}).items() if v}
        self._derived_counts = {k: int(v) for k, v in (derived_counts or {}).items() if v}
        self.verify()

    @property
    def rows_kept(self) -> int:
        return self.rows_read - len(self._aside)

    def reasons(self) -> pd.Series:
        """How many rows were set aside for each reason, most common first."""
        counts = self._aside[REASON].astype("string").value_counts()
        counts.index.name = REASON
        counts.name = "rows"
        return counts

    def flags(self) -> pd.Series:
        """How many kept rows carry each flagged issue."""
        series = pd.Series(self._flag_counts, dtype="int64", name="rows")
        series.index.name = "issue"
        return series.sort_values(ascending=False)

    def derived(self) -> pd.Series:
        """How many kept rows have each derived value."""
        series = pd.Series(self._derived_counts, dtype="int64", name="rows")
        series.index.name = "derived"
        return series.sort_values(ascending=False)

    def set_aside_rows(self) -> pd.DataFrame:
        """The rows set aside: their source row number, reason, detail, then the raw values."""
        return self._aside.copy()
