"""Page 2.1's comparison with the cohort: the profiles other cities of the build recorded.

Each city's page 2.1 records its team's profile in its workspace (``maturity_profile``,
in ``build/<city>/workspace/``); this module reads those of the other cities in the same
build folder, as the cohort page does. Cities are **anonymised** ("City A", "City B", in
the order of their ids) unless the coach allows names: ``cohort_names = True`` at the top of
the page, or for a whole build the option ``CDA_COHORT_NAMES=1`` (as in
``CDA_COHORT_NAMES=1 cda build --all``: the build passes its environment to every page). A
profile made from a fictional team's answers says so, and when no other city
has recorded one the page says that plainly.

>>> import tempfile
>>> comparison = cohort_comparison("riverbend", {"governance": 2.0, "quality": 2.0, "use": 2.0,
...     "capacity": 2.0, "transparency": 2.0}, build_root=tempfile.mkdtemp())
>>> comparison.others
[]
>>> print(comparison.sentences()[0][:59])
No other city in this build has recorded a maturity profile
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from cda_lib.core import paths
from cda_lib.core.errors import WorkspaceError
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.core.workspace import Workspace
from cda_lib.synth.investments import COMPONENTS
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.invest.candidates import COMPONENT_NAMES, COMPONENT_WORDS
from cda_lib.themes.invest.maturity import score

PROFILE_KEY = "maturity_profile"
NAMES_OPTION = "CDA_COHORT_NAMES"  # the build option that shows other cities' names
YES = ("1", "true", "yes")


def names_allowed(names: bool | None = None) -> bool:
    """The page's choice (``cohort_names``) when it makes one, else the build's option.

    >>> names_allowed(True), names_allowed(False)
    (True, False)
    """
    if names is not None:
        return bool(names)
    return os.environ.get(NAMES_OPTION, "").strip().lower() in YES


@dataclass(frozen=True)
class CohortComparison:
    """The city's own averages and the other cities' recorded profiles (label, values)."""

    own: dict[str, float]
    others: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    names_shown: bool = False
    own_synthetic: bool = False

    @property
    def answered(self) -> int:
        """How many other cities' real teams have answered."""
        return sum(1 for _label, profile in self.others if not profile.get("synthetic"))

    def medians(self) -> dict[str, float]:
        return {c: median(float(p[c]) for _label, p in self.others) for c in COMPONENTS}

    def sentences(self) -> list[str]:
        count = len(self.others)
        if not count:
            return [_("No other city in this build has recorded a maturity profile yet, so "
                      "there is nothing to compare with. Other cities appear here once their "
                      "page 2.1 has been built in the same build folder.")]
        said = [ngettext("{count} other city in this build has recorded a profile.",
                         "{count} other cities in this build have recorded a profile.", count)]
        fictional = count - self.answered
        if not self.answered:
            said.append(_("No other city's own team has answered yet: every profile below is "
                          "a fictional team's (a demo city's), shown for practice."))
        elif fictional:
            said.append(ngettext("{count} of them is a fictional team's (a demo city's).",
                                 "{count} of them are fictional teams' (demo cities').",
                                 fictional))
        medians = self.medians()
        gaps = {c: self.own[c] - medians[c] for c in COMPONENTS}
        behind = min(COMPONENTS, key=lambda c: (round(gaps[c], 9), COMPONENTS.index(c)))
        ahead = max(COMPONENTS, key=lambda c: (round(gaps[c], 9), -COMPONENTS.index(c)))
        if round(gaps[behind], 9) < 0:
            said.append(_("Against the cohort's median, your team is furthest behind on "
                          "{component}: {own} against {median}.",
                          component=_(COMPONENT_NAMES[behind]), own=score(self.own[behind]),
                          median=score(medians[behind])))
        if round(gaps[ahead], 9) > 0:
            said.append(_("It is furthest ahead on {component}: {own} against {median}.",
                          component=_(COMPONENT_NAMES[ahead]), own=score(self.own[ahead]),
                          median=score(medians[ahead])))
        if not self.names_shown:
            said.append(_("Other cities are shown as City A, City B and so on; your coach can "
                          "show their names."))
        return said

    def table(self) -> ReadableTable | None:
        if not self.others:
            return None
        rows = [[(_("Your team"), False), *[(score(self.own[c]), True) for c in COMPONENTS],
                 (_("Fictional team") if self.own_synthetic else "", False)]]
        for label, profile in self.others:
            rows.append([(label, False), *[(score(float(profile[c])), True) for c in COMPONENTS],
                         (_("Fictional team") if profile.get("synthetic") else
                          ngettext("{count} member", "{count} members",
                                   int(profile.get("members", 0))), False)])
        return ReadableTable([_("City"), *[_(COMPONENT_WORDS[c]) for c in COMPONENTS],
                              _("Who answered")], rows,
                             caption=_("Team averages across the cohort, 1 to 5"))

    def summary(self) -> Sentences:
        return Sentences(self.sentences(), self.table())

    def __str__(self) -> str:
        return str(self.summary())

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()


def _label(index: int) -> str:
    letters = string.ascii_uppercase
    tag = letters[index % 26] + (str(index // 26 + 1) if index >= 26 else "")
    return _("City {letter}", letter=tag)


def cohort_comparison(city_id: str, own: dict[str, float], *, names: bool | None = None,
                      own_synthetic: bool = False,
                      build_root: str | Path | None = None) -> CohortComparison:
    """The other cities of the build that recorded a profile, anonymised unless names are
    allowed (:func:`names_allowed`); ``own_synthetic``: the city's own profile is a fictional
    team's."""
    names = names_allowed(names)
    root = Path(build_root) if build_root is not None else paths.build_dir()
    others = []
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for folder in folders:
        if folder.name == city_id or not (folder / "workspace").is_dir():
            continue
        try:
            profile = Workspace(folder.name, folder / "workspace").read(PROFILE_KEY)
        except WorkspaceError:
            continue
        if isinstance(profile, dict) and all(c in profile for c in COMPONENTS):
            others.append((folder.name, profile))
    labelled = [(str(profile.get("city") or city) if names else _label(i), profile)
                for i, (city, profile) in enumerate(others)]
    return CohortComparison({c: float(own[c]) for c in COMPONENTS}, labelled, names,
                            own_synthetic)
