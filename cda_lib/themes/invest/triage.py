"""Page 2.5's worked example: a simple triage rule on the city's own requests, and who it fails.

The GovEx Ethics & Algorithms Toolkit's example of an unrepresentative data set is "311
data is biased to those who call 311" (civic-standards.md, B2). This module makes that
concrete. A rule a busy team might write, "flag a request as urgent if its type is X or it
comes from district Y", is measured against what happened to the requests:

- **the outcome**: a request *needed* priority if it went **late**, closed after its type's
  service standard or still open past it (:func:`cda_lib.metrics.outcomes.request_outcomes`).
  Requests of a type with no standard, and open ones still within their standard, have no
  known outcome and are left out; so are requests with no district;
- **a miss** (false negative): a late request the rule did not flag; the *miss rate* of a
  district is its misses over its late requests;
- **a false alarm** (false positive): a request flagged that closed on time anyway; the
  *false-alarm rate* is false alarms over the requests that closed on time.

By default X is the type with the most late requests and Y the district that sends the most
requests: the rule a team writes by looking at who calls. The page states the rule and the
outcome in words, so a reader can disagree with either.

>>> import pandas as pd
>>> table = pd.DataFrame({
...     "service_code": ["A", "A", "B", "B"], "status": ["closed"] * 4,
...     "district": ["N", "S", "N", "S"],
...     "requested_datetime": pd.to_datetime(["2025-03-01"] * 4),
...     "closed_datetime": pd.to_datetime(["2025-03-09", "2025-03-09", "2025-03-02",
...                                        "2025-03-09"])})
>>> errors = triage_errors(table, {"A": 5, "B": 5}, as_of="2025-03-31",
...                        rule=TriageRule(("A",), ()))
>>> errors.by_district[["district", "late", "missed", "false_alarms"]].values.tolist()
[['N', 1, 0, 0], ['S', 2, 1, 0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from cda_lib.core.errors import CdaError, list_choices
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.outcomes import request_outcomes
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _, ngettext

# A district's miss rate is compared in the headline only when it has at least this many
# late requests: a rate over three requests mostly measures chance.
MIN_LATE = 5


class TriageError(CdaError, ValueError):
    """A triage rule names a request type or district the data does not have."""


@dataclass(frozen=True)
class TriageRule:
    """Flag as urgent the requests of these types, or from these districts."""

    types: tuple[str, ...]
    districts: tuple[str, ...]

    def flags(self, requests: pd.DataFrame) -> pd.Series:
        return requests["service_code"].isin(self.types) | \
            requests["district"].isin(self.districts)


@dataclass(frozen=True)
class TriageErrors:
    """The rule's errors by district (``by_district``: district, requests, late, flagged,
    missed, miss_rate, on_time, false_alarms, false_alarm_rate; rates empty where there is
    nothing to divide by), the rule, its types' names and what was left out."""

    rule: TriageRule
    type_names: tuple[str, ...]
    by_district: pd.DataFrame
    no_outcome: int  # requests with a district but no known outcome
    no_district: int

    @property
    def late(self) -> int:
        return int(self.by_district["late"].sum())

    @property
    def missed(self) -> int:
        return int(self.by_district["missed"].sum())

    def compared(self) -> pd.DataFrame:
        """The districts with enough late requests to compare, worst miss rate first."""
        table = self.by_district[self.by_district["late"] >= MIN_LATE]
        return table.sort_values(["miss_rate", "district"], ascending=[False, True],
                                 kind="stable")

    def worst_row(self) -> pd.Series:
        """The district the rule fails most: the highest miss rate among those with
        :data:`MIN_LATE` late requests or more; with none, the one with the most late
        requests; with no district at all, a row of zeros."""
        compared = self.compared()
        if compared.empty:
            compared = self.by_district.sort_values(["late", "district"],
                                                    ascending=[False, True], kind="stable")
        if compared.empty:
            return pd.Series({"district": "—", "requests": 0, "late": 0, "flagged": 0,
                              "missed": 0, "miss_rate": float("nan"), "on_time": 0,
                              "false_alarms": 0, "false_alarm_rate": float("nan")})
        return compared.iloc[0]

    def rule_sentence(self) -> str:
        types = format_list(self.type_names, "or")
        districts = format_list(self.rule.districts, "or")
        if types and districts:
            return _("The rule flags a request as urgent if its type is {types} or it comes "
                     "from {districts}.", types=types, districts=districts)
        if types:
            return _("The rule flags a request as urgent if its type is {types}.", types=types)
        if districts:
            return _("The rule flags a request as urgent if it comes from {districts}.",
                     districts=districts)
        return _("The rule flags no request as urgent.")

    def outcome_sentence(self) -> str:
        known = int(self.by_district["requests"].sum())
        return ngettext(
            "A request needed priority if it went late: closed after its type's service "
            "standard, or still open past it. {count:,} request has a known outcome; {unknown:,} "
            "with no standard or still within it, and {no_district:,} with no district, are "
            "left out.",
            "A request needed priority if it went late: closed after its type's service "
            "standard, or still open past it. {count:,} requests have a known outcome; {unknown:,} "
            "with no standard or still within it, and {no_district:,} with no district, are "
            "left out.", known, unknown=self.no_outcome, no_district=self.no_district)

    def headline(self) -> str:
        """Who the rule serves worst: the highest miss rate against the lowest."""
        compared = self.compared()
        if compared.empty:
            return ngettext(
                "No district has {count} late request or more, too few to compare miss rates.",
                "No district has {count} late requests or more, too few to compare miss rates.",
                MIN_LATE)
        worst = compared.iloc[0]
        said = _miss(worst)
        if len(compared) == 1:
            return _("The rule misses {said}.", said=said)
        best = compared.iloc[-1]
        return _("The rule misses {worst}, against {best}.", worst=said, best=_miss(best))

    def summary(self) -> Sentences:
        return Sentences([self.rule_sentence(), self.outcome_sentence(), self.headline()])

    def table(self) -> ReadableTable:
        """The errors by district, counts beside rates."""
        rows = []
        for row in self.by_district.itertuples():
            rows.append([(str(row.district), False), (format_number(row.requests), True),
                         (format_number(row.late), True), (format_number(row.flagged), True),
                         (format_number(row.missed), True), (_rate(row.miss_rate), True),
                         (format_number(row.false_alarms), True),
                         (_rate(row.false_alarm_rate), True)])
        headings = [_("District"), _("Requests with an outcome"), _("Late"), _("Flagged"),
                    _("Late, not flagged (misses)"), _("Miss rate"),
                    _("Flagged, on time (false alarms)"), _("False-alarm rate")]
        return ReadableTable(headings, rows, caption=self.rule_sentence(), notes=[
            _("Miss rate: misses over late requests. False-alarm rate: false alarms over the "
              "requests closed on time. — where there is nothing to divide by.")])


def _rate(value: float) -> str:
    return "—" if pd.isna(value) else format_percent(value)


def _miss(row) -> str:
    return ngettext("{missed:,} of the {count:,} late request in {district} ({rate})",
                    "{missed:,} of the {count:,} late requests in {district} ({rate})",
                    int(row["late"]), missed=int(row["missed"]),
                    district=row["district"], rate=format_percent(row["miss_rate"]))


def default_rule(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of) -> TriageRule:
    """The rule a team writes by looking at who calls: the type with the most late requests,
    or the district that sends the most requests (ties: the first in order)."""
    outcomes = request_outcomes(requests, standards, as_of=as_of)
    late = requests[outcomes["on_time"].eq(False).fillna(False).to_numpy(dtype=bool)]
    types = late["service_code"].value_counts()
    top_type = sorted(types[types == types.max()].index)[:1] if len(types) else []
    counts = requests["district"].dropna().value_counts()
    top_district = sorted(counts[counts == counts.max()].index)[:1] if len(counts) else []
    return TriageRule(tuple(map(str, top_type)), tuple(map(str, top_district)))


def _check_rule(requests: pd.DataFrame, rule: TriageRule) -> None:
    for column, wanted in (("service_code", rule.types), ("district", rule.districts)):
        known = set(requests[column].dropna().astype(str))
        unknown = sorted(set(wanted) - known)
        if unknown:
            raise TriageError(_(
                "The triage rule names {names}, which this city's requests do not have. The "
                "values it has are {known}. Use those at the top of the page.",
                names=list_choices(unknown), known=list_choices(sorted(known))))


def triage_errors(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                  rule: TriageRule | None = None) -> TriageErrors:
    """The rule's misses and false alarms by district, against the late requests."""
    rule = rule if rule is not None else default_rule(requests, standards, as_of=as_of)
    _check_rule(requests, rule)
    outcomes = request_outcomes(requests, standards, as_of=as_of)
    has_district = requests["district"].notna().to_numpy()
    known = outcomes["on_time"].notna().to_numpy() & has_district
    chosen = requests[known]
    late = ~outcomes["on_time"][known].astype(bool).to_numpy()
    flagged = rule.flags(chosen).to_numpy()
    frame = pd.DataFrame({"district": chosen["district"].astype(str).to_numpy(), "late": late,
                          "flagged": flagged, "missed": late & ~flagged,
                          "on_time": ~late, "false_alarms": ~late & flagged})
    table = frame.groupby("district", sort=True).agg(
        requests=("late", "size"), late=("late", "sum"), flagged=("flagged", "sum"),
        missed=("missed", "sum"), on_time=("on_time", "sum"),
        false_alarms=("false_alarms", "sum")).reset_index()
    for column in table.columns[1:]:
        table[column] = table[column].astype(int)
    table["miss_rate"] = (table["missed"] / table["late"]).where(table["late"] > 0)
    table["false_alarm_rate"] = (table["false_alarms"] / table["on_time"]).where(
        table["on_time"] > 0)
    table = table[["district", "requests", "late", "flagged", "missed", "miss_rate", "on_time",
                   "false_alarms", "false_alarm_rate"]]
    names = requests.drop_duplicates("service_code").set_index("service_code")
    type_names = tuple(str(names.loc[code, "service_name"]) if "service_name" in names
                       else code for code in rule.types)
    return TriageErrors(rule, type_names, table, no_outcome=int((has_district & ~known).sum()),
                        no_district=int((~has_district).sum()))
