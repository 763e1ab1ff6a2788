"""The data readiness report: what a city's data lets each module do, before the visit.

A coach runs ``cda check-data CITY`` (and every build writes the same page) to see, before
the kick-off meeting, which modules and sections this city's data can run, which it can
run in part, and what to ask the city's IT team for: "12 months of history", "the closed
date of each request". Everything comes from the modules' declared needs
(:mod:`cda_lib.core.needs`) and the city's :class:`~cda_lib.core.needs.DataFacts`, so the
report never runs a notebook and agrees with what the built pages skip.

>>> from cda_lib.core.needs import DataFacts
>>> eight_weeks = DataFacts(400, 56, 8, 1, 0, 380, 4, 400, 400, 1, 1)
>>> report = readiness(eight_weeks)
>>> report.module("1.4").status, report.module("1.2").status
('needs more data', 'works in part')
>>> report.asks()[0]
'at least 24 months of history'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cda_lib.core.files import write_text_atomically
from cda_lib.core.modules import Module
from cda_lib.core.needs import DataFacts, Need, Section
from cda_lib.core.pages import render_page
from cda_lib.exercises import catalog
from cda_lib.text.numbers import format_number
from cda_lib.text.translation import N_, gettext as _, ngettext, use_language
from cda_lib.themes import all_themes

PAGE_NAME = "readiness.html"  # in build/<city>/
WORKS, IN_PART, NEEDS_MORE = "works", "works in part", "needs more data"
STATUS_WORDS = {WORKS: N_("works"), IN_PART: N_("works in part"),
                NEEDS_MORE: N_("needs more data")}


@dataclass(frozen=True)
class SectionCheck:
    section: Section
    unmet: tuple[Need, ...]

    @property
    def works(self) -> bool:
        return not self.unmet


@dataclass(frozen=True)
class ModuleCheck:
    """One module: each section's check, and how many of its exercises the data allows."""

    module: Module
    sections: tuple[SectionCheck, ...]
    exercises_available: int
    exercises_total: int
    # (exercise id, its unmet needs) of each exercise the data does not allow
    exercises_lacking: tuple[tuple[str, tuple[Need, ...]], ...] = ()

    @property
    def status(self) -> str:
        parts = [check.works for check in self.sections]
        if self.exercises_total:
            parts.append(self.exercises_available == self.exercises_total)
        if all(parts):
            return WORKS
        if self.sections and not any(check.works for check in self.sections):
            return NEEDS_MORE  # whatever exercises are left, the page itself shows nothing
        return IN_PART

    def unmet(self) -> list[Need]:
        return list(dict.fromkeys(need for check in self.sections for need in check.unmet))


@dataclass(frozen=True)
class Readiness:
    """Every module's check against one city's data facts."""

    facts: DataFacts
    modules: tuple[ModuleCheck, ...]

    def module(self, module_id: str) -> ModuleCheck:
        return next(check for check in self.modules if check.module.id == module_id)

    def sections_working(self) -> tuple[int, int]:
        checks = [check for module in self.modules for check in module.sections]
        return sum(check.works for check in checks), len(checks)

    def unmet_needs(self) -> list[Need]:
        """Each need some section or exercise lacks, the one asking most first (so "24
        months" comes before "12 months", which it also meets)."""
        needs = {need for module in self.modules for need in module.unmet()}
        needs |= set(_unmet_exercise_needs(self.facts))
        return sorted(needs, key=lambda need: (need.kind, -need.amount))

    def asks(self) -> list[str]:
        """What to ask the city's IT team for, each once: of the needs for a longer history
        only the longest (24 months covers 26 weeks), of the others the largest of a kind."""
        largest: dict[str, Need] = {}
        for need in self.unmet_needs():
            kind = "history" if need.kind in _MONTHS_OF else need.kind
            if kind not in largest or _size(need) > _size(largest[kind]):
                largest[kind] = need
        ordered = sorted(largest.items(), key=lambda pair: pair[0] != "history")
        return list(dict.fromkeys(need.ask() for _kind, need in ordered))

    def summary(self) -> str:
        """One or two sentences for the cohort page's city card."""
        working, total = self.sections_working()
        text = ngettext("{count} of {total} section runs with this data.",
                        "{count} of {total} sections run with this data.", working,
                        total=total)
        asks = self.asks()
        if asks:
            text += " " + _("Ask the city for: {asks}.", asks="; ".join(asks))
        return text


# How many months of history a need for days, weeks, months or whole quarters asks for
_MONTHS_OF = {"days": lambda n: n / 30.4, "weeks": lambda n: n / 4.35, "months": lambda n: n,
              "quarters": lambda n: 3 * n + 2}


def _size(need: Need) -> float:
    return _MONTHS_OF[need.kind](need.amount) if need.kind in _MONTHS_OF else need.amount


def exercise_needs(exercise, exercise_set) -> tuple[Need, ...]:
    """An exercise's own needs, and its set's set-up needs when it uses the set-up."""
    shared = exercise_set.needs if exercise_set.id in exercise.uses else ()
    return (*shared, *exercise.needs)


def _unmet_exercise_needs(facts: DataFacts) -> list[Need]:
    return [need for exercise_set in catalog.exercise_sets()
            for exercise in exercise_set.exercises
            for need in exercise_needs(exercise, exercise_set) if not need.met(facts)]


def readiness(facts: DataFacts) -> Readiness:
    """Check every module of every theme, and its exercises, against a city's data facts."""
    checks = []
    for _name, theme in all_themes():
        for module in theme.modules:
            sections = tuple(SectionCheck(section, tuple(section.unmet(facts)))
                             for section in module.sections)
            exercise_set = catalog.set_for_notebook(module.exercises) if module.exercises \
                else None
            exercises = exercise_set.exercises if exercise_set is not None else ()
            lacking = tuple((e.id, unmet) for e in exercises
                            if (unmet := tuple(n for n in exercise_needs(e, exercise_set)
                                               if not n.met(facts))))
            checks.append(ModuleCheck(module, sections, len(exercises) - len(lacking),
                                      len(exercises), lacking))
    return Readiness(facts, tuple(checks))


def data_readiness(data) -> Readiness:
    """:func:`readiness` of a city's loaded data (:class:`~cda_lib.data.CityData`)."""
    return readiness(data.facts)


def render_readiness_page(data, language: str | None = None) -> str:
    """The readiness report of a city's loaded data, as one offline HTML page."""
    with use_language(language or data.city.language):
        report = data_readiness(data)
        facts = report.facts
        return render_page(
            "pages/readiness.html.j2",
            title=_("Data readiness: {city}", city=data.city.name),
            notice=data.notice().text(), synthetic=data.is_synthetic,
            account=data.account.summary_lines(),
            quality=data.quality.display_table(),
            span=facts.span(),
            facts=_fact_rows(facts),
            modules=[_module_row(check, facts) for check in report.modules],
            asks=report.asks(),
            summary=report.summary(),
        )


def _fact_rows(facts: DataFacts) -> list[tuple[str, str]]:
    return [
        (_("Requests"), format_number(facts.requests)),
        (_("Covers"), facts.span()),
        (_("Whole months"), format_number(facts.months)),
        (_("With a closed date"), format_number(facts.closed)),
        (_("Districts"), format_number(facts.districts)),
        (_("With coordinates"), format_number(facts.with_coordinates)),
        (_("Request types"), format_number(facts.request_types)),
        (_("Types with a service standard"), format_number(facts.standards)),
    ]


def _module_row(check: ModuleCheck, facts: DataFacts) -> dict:
    sections = [{"title": _(item.section.title),
                 "works": item.works,
                 "needs": "; ".join(need.missing(facts) for need in item.unmet)}
                for item in check.sections]
    sections += [{"title": _("Exercise {id}", id=exercise_id), "works": False,
                  "needs": "; ".join(dict.fromkeys(need.missing(facts) for need in unmet))}
                 for exercise_id, unmet in check.exercises_lacking]
    exercises = (_("{available} of {total} exercises", available=check.exercises_available,
                   total=check.exercises_total) if check.exercises_total else "")
    return {"id": check.module.id, "title": _(check.module.title), "status": check.status,
            "status_words": _(STATUS_WORDS[check.status]), "sections": sections,
            "exercises": exercises}


def write_readiness_page(data, folder: Path, language: str | None = None) -> Path:
    """Write ``<folder>/<city>/readiness.html`` (left untouched when it would not change,
    so a resumed build rewrites nothing it finished); return its path."""
    path = Path(folder) / data.city.id / PAGE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    page = render_readiness_page(data, language)
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        write_text_atomically(path, page)
    return path

