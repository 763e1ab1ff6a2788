"""Sections of a page that run only when the city's data holds what they need.

A page declares its sections and their needs (:class:`~cda_lib.core.needs.Section`); at
the top it checks them against the city's data (:class:`PageCheck`, which says in plain
words what will be skipped and why). A code cell that belongs to a section starts with a
line naming it::

    # section: backlog
    backlog = backlog_by_month(requests, as_of=data.as_of)
    plot_backlog(backlog, context=data.chart_context)

In Jupyter, with ``%load_ext cda_lib``, that first line makes the cell run through the
``%%section backlog`` cell magic; the line is a comment everywhere else, so the cell
stays plain Python that linters and readers follow (a cell magic would hide its code
from both).

The cell runs when the data has what the section needs; otherwise the cell shows the
sentence saying what is missing, in place of its chart or table, and the rest of the page
runs. A section that stops with an error while running shows a plain message too, never
a traceback, and the later cells of the same section are skipped. Each skipped section
leaves a marker in the cell's output metadata (``cda-skipped``), which the workbook
builder reads to report "built with sections skipped". The magic is registered by
``%load_ext cda_lib``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.core.needs import DataFacts, Need, Section, unmet_sentence
from cda_lib.text.translation import gettext as _, ngettext

SKIPPED_KEY = "cda-skipped"  # the output-metadata key of a skipped section's marker


class SectionError(CdaError, KeyError):
    """A cell names a section the page does not have, or no page was checked first."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class Skipped:
    """A section that did not run: why, and whether the reason is a declared need (or an
    error the section met while running)."""

    key: str
    title: str
    reason: str
    needs: tuple[str, ...] = ()
    error: str = ""  # the error's name, when the section stopped on one
    workbook_error: bool = False  # True when that error is the workbook's own (a CdaError)

    def marker(self) -> dict:
        return {"section": self.key, "title": self.title, "reason": self.reason,
                "needs": list(self.needs), "error": self.error,
                "workbook_error": self.workbook_error}


class PageCheck:
    """One page's sections checked against one city's data.

    >>> from cda_lib.core.needs import months, CLOSED_DATES
    >>> facts = DataFacts(400, 56, 8, 1, 0, 0, 4, 400, 400, 1, 1)
    >>> page = PageCheck("1.2", [Section("backlog", "The backlog", (months(3), CLOSED_DATES)),
    ...                          Section("waits", "Waiting times", ())], facts, "Eight Weeks")
    >>> page.runs("waits"), page.runs("backlog")
    (True, False)
    >>> print(page.text())
    Not every section of this page can run with Eight Weeks's data; 1 section is skipped:
    - The backlog needs at least 3 whole months of requests; this city's data covers 8 weeks. \
It also needs closed dates for at least 1 request; none of this city's requests has a closed date.
    The sections that need less still run below.
    """

    def __init__(self, page: str, sections: Sequence[Section], facts: DataFacts,
                 city_name: str, *, quiet_errors: bool = True,
                 reason_for: Callable[[str], str] | None = None):
        self.page = page
        # Why a section cannot run beyond its declared needs ('' when it can): an exercise
        # set says so of an exercise whose expected answer this city's data cannot give.
        self.reason_for = reason_for
        # True on a module's page: any error in a section is shown as a plain sentence.
        # False on an exercise set, where a participant's own code may raise: there only
        # the workbook's own errors are.
        self.quiet_errors = quiet_errors
        self.sections = {section.key: section for section in sections}
        self.facts = facts
        self.city_name = city_name
        self.skipped: dict[str, Skipped] = {}

    def section(self, key: str) -> Section:
        if key not in self.sections:
            raise SectionError(_(
                "Page {page} has no section called {key}. Its sections are {keys}.{hint} Write "
                "one of them after %%section.", page=self.page, key=key,
                keys=list_choices(self.sections) or _("none"),
                hint=did_you_mean(key, self.sections)))
        return self.sections[key]

    def unmet(self, key: str) -> list[Need]:
        return self.section(key).unmet(self.facts)

    def runs(self, key: str) -> bool:
        """Whether the section's needs are met by this city's data (and it has not stopped),
        and so are those of the sections it uses."""
        return not self.unmet(key) and self.blocked_by(key) is None

    def blocked_by(self, key: str) -> str | None:
        """The key of the section that stops this one: itself or a section it uses that
        was skipped (None when nothing does)."""
        if key in self.skipped:
            return key
        for used in self.section(key).uses:
            if used in self.sections and (self.blocked_by(used) is not None
                                          or self.section(used).unmet(self.facts)):
                return used
        return None

    def sentence(self, key: str) -> str:
        """What the section needs and what the data has instead ('' when it can run)."""
        section = self.section(key)
        unmet = section.unmet(self.facts)
        if unmet:
            return unmet_sentence(_(section.title), unmet, self.facts)
        return self.reason_for(key) if self.reason_for is not None else ""

    def unmet_sections(self) -> list[Section]:
        return [section for section in self.sections.values() if section.unmet(self.facts)]

    def text(self) -> str:
        """What the page will skip, for the top of the page ('' when every section runs)."""
        unmet = self.unmet_sections()
        if not unmet:
            return ""
        lines = [ngettext(
            "Not every section of this page can run with {city}'s data; {count} section is "
            "skipped:", "Not every section of this page can run with {city}'s data; {count} "
            "sections are skipped:", len(unmet), city=self.city_name)]
        lines += [f"- {self.sentence(section.key)}" for section in unmet]
        lines.append(_("The sections that need less still run below."))
        return "\n".join(lines)

    def show(self) -> None:
        """Show what the page will skip, at the top of the page; nothing at all (not even
        an empty output) when every section runs."""
        if self.unmet_sections():
            from IPython.display import display

            display(self)

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        unmet = self.unmet_sections()
        if not unmet:
            return ""
        head, *items, tail = self.text().split("\n")
        listed = "".join(f"<li>{html.escape(item[2:])}</li>" for item in items)
        return (f'<div class="cda-needs" role="note">{_box_style()}<p>{html.escape(head)}</p>'
                f"<ul>{listed}</ul><p>{html.escape(tail)}</p></div>")

    def skip(self, key: str, reason: str, *, error: BaseException | None = None) -> Skipped:
        section = self.section(key)
        skipped = Skipped(key, _(section.title), reason,
                          tuple(need.kind for need in section.unmet(self.facts)),
                          type(error).__name__ if error is not None else "",
                          isinstance(error, CdaError))
        self.skipped[key] = skipped
        return skipped


def _box_style() -> str:
    return ('<style>.cda-needs{border-left:6px solid #8073ac;background:#f4f2f8;'
            "padding:0.4em 1em;margin:0.4em 0}</style>")


class SkippedNote:
    """What a skipped section's cell shows in place of its output."""

    def __init__(self, skipped: Skipped, *, again: bool = False):
        self.skipped = skipped
        self.again = again

    def text(self) -> str:
        if self.again:
            return _("{section}: skipped, as said above.", section=self.skipped.title)
        return self.skipped.reason

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return f'<div class="cda-needs" role="note">{_box_style()}{html.escape(self.text())}</div>'


_current: PageCheck | None = None


def set_current_page(page: PageCheck) -> PageCheck:
    """Make ``page`` the one the ``%%section`` magic checks cells against."""
    global _current
    _current = page
    return page


def current_page() -> PageCheck:
    if _current is None:
        raise SectionError(_(
            "No page has been checked against the city's data yet, so %%section cannot tell "
            "whether this section can run. Run the cell at the top of the page first (it loads "
            "the city's data)."))
    return _current


def failure_reason(title: str, error: BaseException, city_name: str) -> str:
    """The plain sentence for a section that stopped on an error."""
    if isinstance(error, CdaError):
        return _("{section} could not run with {city}'s data: {message}", section=title,
                 city=city_name, message=str(error))
    return _("{section} could not run with {city}'s data ({error}). The rest of the page still "
             "runs; tell your coach, who can look at the built notebook.", section=title,
             city=city_name, error=type(error).__name__)


def run_section(shell, key: str, cell: str) -> None:
    """The ``%%section KEY`` cell magic: run the cell when the section can run; otherwise
    show why not, in place of its output."""
    from IPython.display import display

    page = current_page()
    key = key.strip()
    blocker = page.blocked_by(key)
    if blocker is not None and blocker in page.skipped:
        if blocker != key:  # this section uses one that could not run: so it cannot either
            page.skipped[key] = page.skipped[blocker]
        display(SkippedNote(page.skipped[blocker], again=True))
        return
    if blocker is not None:  # a section it uses cannot run: say why, as that one would
        _show(page.skip(key, page.sentence(blocker)))
        return
    reason = page.sentence(key)
    if reason:
        _show(page.skip(key, reason))
        return
    saved = shell.custom_exceptions, shell.CustomTB
    quiet = (Exception,) if page.quiet_errors else (CdaError,)
    shell.set_custom_exc(quiet, lambda shell, etype, value, tb, tb_offset=None: None)
    try:
        result = shell.run_cell(cell, store_history=False)
    finally:
        shell.custom_exceptions, shell.CustomTB = saved
    error = result.error_in_exec
    if isinstance(error, quiet):
        title = _(page.section(key).title)
        _show(page.skip(key, failure_reason(title, error, page.city_name), error=error))


def _show(skipped: Skipped) -> None:
    from IPython.display import display

    display(SkippedNote(skipped), metadata={SKIPPED_KEY: skipped.marker()})


_SECTION_LINE = re.compile(r"#\s*section:\s*(\S+)\s*")


def section_line_to_magic(lines: list[str]) -> list[str]:
    r"""IPython's input transformer: a cell whose first line is ``# section: KEY`` runs as
    ``%%section KEY``.

    >>> section_line_to_magic(["# section: backlog\n", "x = 1\n"])
    ['%%section backlog\n', 'x = 1\n']
    >>> section_line_to_magic(["# a plain comment\n"])
    ['# a plain comment\n']
    """
    if lines:
        found = _SECTION_LINE.fullmatch(lines[0].rstrip("\n"))
        if found:
            return [f"%%section {found.group(1)}\n", *lines[1:]]
    return lines


def register_section_magic(shell) -> None:
    """Register ``%%section`` in ``shell`` (an IPython shell), and the ``# section: KEY``
    first line that stands for it."""
    shell.register_magic_function(lambda line, cell: run_section(shell, line, cell),
                                  magic_kind="cell", magic_name="section")
    if section_line_to_magic not in shell.input_transformers_cleanup:
        shell.input_transformers_cleanup.append(section_line_to_magic)
