"""Tables for reading: headings in the page's language and every cell already written.

A notebook shows a pandas table with its column names in code (``cost``, ``risk``) and its
numbers as Python prints them (``1.6e+09``). A page's tables are for a city manager to
read, so each is a :class:`ReadableTable`: a caption, headings in the page's language,
cells written by :mod:`cda_lib.text.numbers` (money in the city's currency, scores to one
decimal) and notes below it. It shows itself as HTML (rendered by a Jinja2 template, so
every name is escaped) and as plain text, never as a Python repr.

>>> table = ReadableTable(["Investment", "Cost"], [[("Audit", False), ("US$42,000", True)]])
>>> print(table)
Investment      Cost
Audit      US$42,000
>>> table.to_frame().iloc[0].tolist()
['Audit', 'US$42,000']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cda_lib.core.pages import render_fragment

Cell = tuple[str, bool]  # the text shown, and whether it is a number (set to the right)


@dataclass(frozen=True)
class ReadableTable:
    """A table to read: headings, rows of written cells, a caption and notes."""

    headings: list[str]
    rows: list[list[Cell]]
    caption: str = ""
    notes: list[str] = field(default_factory=list)

    def to_frame(self):
        """The table's text as a pandas table with the headings as columns (for tests)."""
        import pandas as pd

        return pd.DataFrame([[text for text, _numeric in row] for row in self.rows],
                            columns=self.headings)

    def __str__(self) -> str:
        widths = [max([len(heading)] + [len(row[i][0]) for row in self.rows])
                  for i, heading in enumerate(self.headings)]
        lines = [self.caption] if self.caption else []
        numeric = [bool(self.rows) and self.rows[0][i][1] for i in range(len(self.headings))]
        lines.append(" ".join(h.rjust(w) if right else h.ljust(w) for h, w, right in
                              zip(self.headings, widths, numeric, strict=True)).rstrip())
        for row in self.rows:
            lines.append(" ".join(text.rjust(w) if numeric else text.ljust(w)
                                  for (text, numeric), w in zip(row, widths, strict=True))
                         .rstrip())
        return "\n".join([*lines, *self.notes])

    __repr__ = __str__  # plain text shows the table, not the fields

    def _repr_html_(self) -> str:
        return render_fragment("pages/readable_table.html.j2", caption=self.caption,
                               headings=self.headings, rows=self.rows, notes=self.notes)


@dataclass(frozen=True)
class Sentences:
    """A few sentences that show themselves as a paragraph (HTML) or as plain text.

    >>> print(Sentences(["One.", "Two."]))
    One. Two.
    """

    sentences: list[str]
    table: ReadableTable | None = None

    def __str__(self) -> str:
        text = " ".join(self.sentences)
        return f"{text}\n{self.table}" if self.table is not None else text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return render_fragment("pages/readable_sentences.html.j2", sentences=self.sentences,
                               table=self.table._repr_html_() if self.table else None)


@dataclass(frozen=True)
class Tables:
    """Several tables shown one after the other."""

    tables: list[ReadableTable]

    def __str__(self) -> str:
        return "\n\n".join(str(table) for table in self.tables)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return "".join(table._repr_html_() for table in self.tables)
