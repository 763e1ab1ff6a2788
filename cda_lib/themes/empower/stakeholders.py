"""Who has a stake: page 3.1's stakeholder map, its quadrants and the engagement plan.

Each stakeholder has an **interest** (how much it cares about the city's data work) and an
**influence** (how much it can shape it), each from 1 to 5. The power/interest grid
(Mendelow's) puts it in one of four quadrants, and each quadrant has its own way of being
engaged: how often, by whom, and which of the city's figures it gets in what form.

>>> quadrant(interest=4, influence=2)
'keep_informed'
>>> quadrant(interest=5, influence=5), quadrant(interest=1, influence=4)
('manage_closely', 'keep_satisfied')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cda_lib.core.account import LoadAccount
from cda_lib.core.errors import LoadError
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.sources.stakeholders import read_stakeholders
from cda_lib.synth.stakeholders import synthetic_stakeholders
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext

if TYPE_CHECKING:
    from cda_lib.data import CityData

MODULE = "3.1"
# 4 or 5 on the 1-to-5 scale is high: the top two steps, so that "manage closely" stays a
# list short enough for its owner to meet every month. 3 is the middle, and counts as low.
HIGH = 4
QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
QUADRANT_WORDS = {"manage_closely": N_("Manage closely"), "keep_satisfied": N_("Keep satisfied"),
                  "keep_informed": N_("Keep informed"), "monitor": N_("Monitor")}
GROUP_WORDS = {"council": N_("Council"), "department": N_("Department"),
               "union": N_("Union"), "neighbourhood": N_("Neighborhood associations"),
               "community": N_("Community organizations"), "business": N_("Business"),
               "media": N_("Media"), "residents": N_("Residents' group"),
               "civic_tech": N_("Civic tech"), "university": N_("University"),
               "other": N_("Other")}
# The plan of each quadrant: how often, who owns the relationship, and in what form the
# data goes. Manage closely meets monthly, the rhythm of the stat meetings of page 1.5.
PLAN = {
    "manage_closely": (N_("Every month, in a working session"),
                       N_("The city manager, with the chief data officer"),
                       N_("Working session on the figures, with the district table")),
    "keep_satisfied": (N_("Every quarter, in a briefing"),
                       N_("The mayor's chief of staff"),
                       N_("A one-page brief with the headline figures")),
    "keep_informed": (N_("Every month, in a short update"),
                      N_("The communications lead"),
                      N_("A plain-language update and their district's figures")),
    "monitor": (N_("Twice a year, and when something changes"),
                N_("The data team"),
                N_("The published dashboard and open data")),
}
SYNTHETIC_NOTE = N_("Synthetic: {city} has not given its own list, so these stakeholders are "
                    "made up from the city's seed. They are organizations and groups, never "
                    "real people.")


def quadrant(*, interest: int, influence: int) -> str:
    """The quadrant of the power/interest grid for two scores from 1 to 5."""
    if influence >= HIGH:
        return "manage_closely" if interest >= HIGH else "keep_satisfied"
    return "keep_informed" if interest >= HIGH else "monitor"


def with_quadrants(table: pd.DataFrame) -> pd.DataFrame:
    """The stakeholders with their ``quadrant``, in the order of :data:`QUADRANTS`."""
    placed = table.copy()
    placed["quadrant"] = [quadrant(interest=int(i), influence=int(f))
                          for i, f in zip(placed["interest"], placed["influence"], strict=True)]
    order = placed["quadrant"].map({name: rank for rank, name in enumerate(QUADRANTS)})
    return placed.assign(_order=order).sort_values(["_order", "influence", "interest"],
                                                   ascending=[True, False, False],
                                                   kind="stable") \
        .drop(columns="_order").reset_index(drop=True)


@dataclass(frozen=True)
class StakeholderMap:
    """A city's stakeholders with their quadrants; ``synthetic`` when made from the seed,
    ``account`` the load's account when read from the city's own file."""

    table: pd.DataFrame
    synthetic: bool
    city_name: str
    account: LoadAccount | None = None
    problem: str = ""  # why the city's own list could not be used, if it names one

    def in_quadrant(self, name: str) -> list[str]:
        return self.table.loc[self.table["quadrant"] == name, "name"].tolist()

    def placed(self, table: pd.DataFrame) -> StakeholderMap:
        """The same map with the scores of ``table`` (the placement widget's)."""
        return StakeholderMap(with_quadrants(table.drop(columns="quadrant", errors="ignore")),
                              self.synthetic, self.city_name, self.account, self.problem)

    def readable(self) -> ReadableTable:
        """The map for reading: each stakeholder, its group, scores and quadrant."""
        rows = [[(str(row.name), False), (_(GROUP_WORDS[row.group]), False),
                 (format_number(row.interest, 0), True), (format_number(row.influence, 0), True),
                 (_(QUADRANT_WORDS[row.quadrant]), False)] for row in self.table.itertuples()]
        notes = [_("Interest and influence run from 1 (little) to 5 (a great deal); 4 or 5 "
                   "is high.")]
        if self.problem:
            notes.append(self.problem)
        if self.synthetic:
            notes.append(_(SYNTHETIC_NOTE, city=self.city_name))
        if self.account is not None:
            notes += self.account.summary_lines()
        return ReadableTable([_("Stakeholder"), _("Group"), _("Interest"), _("Influence"),
                              _("Quadrant")], rows,
                             caption=_("Who has a stake in {city}'s data work",
                                       city=self.city_name), notes=notes)

    def _repr_html_(self) -> str:
        return self.readable()._repr_html_()

    def __repr__(self) -> str:
        return str(self.readable())

    def summary(self) -> Sentences:
        """How many stakeholders fall in each quadrant, and who is to be managed closely."""
        total = len(self.table)
        said = [ngettext("{count} stakeholder is on the map.",
                         "{count} stakeholders are on the map.", total)]
        for name in QUADRANTS:
            members = self.in_quadrant(name)
            if members:
                said.append(_("{quadrant}: {count} ({names}).", quadrant=_(QUADRANT_WORDS[name]),
                              count=len(members), names=format_list(members)))
        return Sentences(said)

    def record(self) -> pd.DataFrame:
        """The capstone's ``stakeholder_map`` table."""
        return self.table[["name", "group", "district", "interest", "influence",
                           "quadrant"]].copy()


def least_served_first(table: pd.DataFrame | None) -> list[str]:
    """District names, slowest first (page 3.3's median days to close), the rest after."""
    if table is None or not len(table):
        return []
    return table.sort_values("median_days", ascending=False, kind="stable",
                             na_position="last")["district"].astype(str).tolist()


def stakeholder_map(data: CityData, district_table: pd.DataFrame | None = None
                    ) -> StakeholderMap:
    """The city's own list when its file names one (``sources.stakeholders``), else the
    synthetic one, with residents' groups of the least-served districts of
    ``district_table`` (page 3.3's, or the city file's districts in order)."""
    city = data.city
    source = city.sources.get("stakeholders")
    districts = data.districts["district"].astype(str).tolist() \
        if "district" in data.districts.columns else []
    account, problem = None, ""
    if source is not None:
        base = city.path.parent if city.path is not None else None
        path = source.options["path"]
        try:
            load = read_stakeholders(base / path if base is not None else path,
                                     districts=districts)
        except LoadError as error:  # like page 2.2's catalog: say why, and go on
            problem = _("The city file names a stakeholder list, but the page cannot use it: "
                        "{error} The synthetic list is shown instead.", error=str(error))
        else:
            if len(load.table):
                return StakeholderMap(with_quadrants(load.table), False, city.name,
                                      load.account)
            account = load.account
            problem = _("No row of the city's stakeholder list could be kept (the account "
                        "below says why), so the synthetic list is shown instead.")
    order = least_served_first(district_table) or districts
    return StakeholderMap(with_quadrants(synthetic_stakeholders(city, order)), True, city.name,
                          account, problem)


def engagement_plan(stakeholders: StakeholderMap) -> ReadableTable:
    """One row per quadrant: who is in it, how often they are engaged, by whom, in what form."""
    rows = []
    for name in QUADRANTS:
        cadence, owner, form = PLAN[name]
        members = stakeholders.in_quadrant(name)
        rows.append([(_(QUADRANT_WORDS[name]), False),
                     (format_list(members) if members else "—", False),
                     (_(cadence), False), (_(owner), False), (_(form), False)])
    return ReadableTable([_("Quadrant"), _("Stakeholders"), _("How often"), _("Owner"),
                          _("What they get, in what form")], rows,
                         caption=_("The engagement plan, quadrant by quadrant"),
                         notes=[_("The owner keeps the relationship: prepares each meeting, "
                                  "sends the figures and follows up.")])


@dataclass(frozen=True)
class CityFigures:
    """The figures the plan hands out: citywide, and by district (page 3.3's table)."""

    on_time_share: float | None = None
    per_1000_a_year: float | None = None
    districts: pd.DataFrame | None = None


def data_for(row, figures: CityFigures) -> str:
    """The sentence saying which data one stakeholder gets, built from the city's figures.

    A district's rate is quoted only when the citywide one is (enough months of data)."""
    if row.district and figures.districts is not None:
        known = figures.districts.set_index("district")
        if row.district in known.index and pd.notna(known.loc[row.district, "median_days"]):
            line = known.loc[row.district]
            days = format_number(line["median_days"], 1)
            if figures.per_1000_a_year is not None and pd.notna(line["per_1000_a_year"]):
                return _("The figures for {district} from page 3.3: requests per 1,000 "
                         "residents a year, {rate}; half closed within {days} days.",
                         district=row.district, rate=format_number(line["per_1000_a_year"], 0),
                         days=days)
            return _("The figures for {district} from page 3.3: half its requests closed "
                     "within {days} days.", district=row.district, days=days)
    if row.group in ("council", "department", "union"):
        if figures.on_time_share is not None:
            return _("The on-time share ({share}) and the table by request type from page 1.2, "
                     "and the district table of page 3.3.",
                     share=format_percent(figures.on_time_share))
        return _("The table by request type from page 1.2 and the district table of page 3.3.")
    if row.group in ("business", "media") and figures.per_1000_a_year is not None:
        return _("The headline figures ({rate} requests per 1,000 residents a year) and the "
                 "published dashboard.", rate=format_number(figures.per_1000_a_year, 0))
    if row.group in ("civic_tech", "university"):
        return _("The open data files and their data dictionary (page 3.5).")
    return _("A plain-language summary of the city's service figures.")


def what_each_gets(stakeholders: StakeholderMap, figures: CityFigures) -> ReadableTable:
    """One row per stakeholder: its quadrant and the data it gets."""
    rows = [[(str(row.name), False), (_(QUADRANT_WORDS[row.quadrant]), False),
             (data_for(row, figures), False)] for row in stakeholders.table.itertuples()]
    return ReadableTable([_("Stakeholder"), _("Quadrant"), _("The data they get")], rows,
                         caption=_("Which data each stakeholder gets"))
