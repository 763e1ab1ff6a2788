"""Who is served, and who is missed: service by district set against its demographics.

Page 3.3's computations. :func:`equity_table` gives each district's requests per 1,000
residents a year, its median days to close and on-time share (from
:func:`cda_lib.metrics.kpi.kpi_table`, the same definitions as page 1.2) beside its share of
low-income households, renters and residents without internet. :func:`compare_groups`
makes the fair comparison: the districts with the most of a group against those with the
fewest, on the same request types (those with a service standard) and the same period
(the whole data), as rate ratios with 95% intervals (:mod:`cda_lib.metrics.ratios`). Its
sentences state the size of a difference and its uncertainty, never a cause. Shares from the
Census connector (:mod:`cda_lib.sources.census`) come with their margins of error, which the
table shows and the comparison weighs: the split into "more" and "fewer" is only as firm as
the margins let it be.

>>> words_for("share_renters")
'renters'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.kpi import kpi_table
from cda_lib.metrics.ratios import NO_RATIO, Ratio, rate_ratio, share_ratio
from cda_lib.synth.districts import DEMOGRAPHICS, synthetic_demographics
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.lead.patterns import NOT_RECORDED, district_rates, months_covered

PER_RESIDENTS = 1000
GROUP_WORDS = {"share_low_income": N_("low-income households"),
               "share_renters": N_("renters"),
               "share_without_internet": N_("residents without internet")}
HIGHER, LOWER = "higher", "lower"
CHANNEL_WORDS = {"phone": N_("Phone"), "mobile app": N_("Mobile app"), "web": N_("Web"),
                 "internal": N_("Internal"), "email": N_("Email"),
                 "social media": N_("Social media"), "walk-in": N_("Walk-in")}


def words_for(column: str) -> str:
    """The group a share column counts, in the page's language."""
    return _(GROUP_WORDS[column])


def compared_requests(requests: pd.DataFrame, standards: dict | None) -> pd.DataFrame:
    """The requests every district is compared on: the types with a service standard (all
    types when the city gives none), so each district is judged on the same work."""
    if standards:
        return requests[requests["service_code"].isin(list(standards))]
    return requests


def with_demographics(districts: pd.DataFrame, *, seed: int,
                      census: pd.DataFrame | None = None) -> tuple[pd.DataFrame, bool]:
    """The districts table with the three shares, and whether any of them is synthetic.

    A share the Census connector gives (``census``, the table of
    :func:`cda_lib.sources.census.district_demographics`) replaces the city file's, with its
    margin of error beside it (``<share>_moe``, 90% confidence); a column neither gives is
    filled from :func:`cda_lib.synth.districts.synthetic_demographics`."""
    table = districts.copy()
    if census is not None:
        by_name = census.assign(district=census["district"].astype(str)).set_index("district")
        names = table["district"].astype(str)
        for column in DEMOGRAPHICS:
            if column in by_name.columns and names.isin(by_name.index).all():
                table[column] = names.map(by_name[column]).astype(float).to_numpy()
                table[f"{column}_moe"] = names.map(by_name[f"{column}_moe"]).astype(
                    float).to_numpy()
    made = synthetic_demographics(table["district"].tolist(), seed=seed)
    synthetic = False
    for column in DEMOGRAPHICS:
        if column not in table.columns or table[column].isna().all():
            table[column] = made[column].to_numpy()
            synthetic = True
    return table, synthetic


def equity_table(requests: pd.DataFrame, districts: pd.DataFrame, standards: dict | None, *,
                 as_of) -> pd.DataFrame:
    """One row per district: population, requests, ``per_1000_a_year``, ``median_days``,
    ``on_time_count`` of ``on_time_known`` (``on_time_share``) and the three shares.

    ``districts`` must already hold the shares (:func:`with_demographics`)."""
    compared = compared_requests(requests, standards)
    rates = district_rates(compared, districts, per=PER_RESIDENTS)
    rates = rates[rates["district"] != NOT_RECORDED]
    known = compared[compared["district"].isin(rates["district"])]
    kpis = kpi_table(known, standards, as_of=as_of, by="district", min_requests=1)
    kpis = kpis.assign(district=kpis["district"].astype(str))
    table = rates.merge(kpis[["district", "median_days", "on_time_count", "on_time_known"]],
                        on="district", how="left")
    table["on_time_count"] = table["on_time_count"].fillna(0).astype(int)
    table["on_time_known"] = table["on_time_known"].fillna(0).astype(int)
    table["on_time_share"] = (table["on_time_count"] / table["on_time_known"]).where(
        table["on_time_known"] > 0)
    return table.reset_index(drop=True)


@dataclass(frozen=True)
class GroupComparison:
    """The districts with more of a group against those with fewer, on the same requests."""

    column: str
    higher: list[str]
    lower: list[str]
    rate_higher: float
    rate_lower: float
    rate_ratio: Ratio
    on_time_higher: float | None
    on_time_lower: float | None
    on_time_ratio: Ratio
    days_higher: float | None
    days_lower: float | None
    types: int
    # With Census margins: (district, share, margin) of the lowest share among the districts
    # with more of the group, and of the highest among those with fewer.
    edge_higher: tuple[str, float, float] | None = None
    edge_lower: tuple[str, float, float] | None = None

    @property
    def groups_overlap(self) -> bool | None:
        """Whether the margins of error let the two groups' shares overlap (None: no margins)."""
        if self.edge_higher is None or self.edge_lower is None:
            return None
        return self.edge_higher[1] - self.edge_higher[2] <= self.edge_lower[1] + self.edge_lower[2]

    def margin_sentence(self) -> str | None:
        """What the Census margins of error say about the split, in words."""
        if self.groups_overlap is None:
            return None
        words = words_for(self.column)
        low, high = self.edge_higher, self.edge_lower
        figures = {"words": words, "a_name": low[0], "a": format_percent(low[1]),
                   "a_moe": margin_points(low[2]), "b_name": high[0],
                   "b": format_percent(high[1]), "b_moe": margin_points(high[2])}
        if self.groups_overlap:
            return _("The Census shares have margins of error, and here they overlap: {a_name} "
                     "({a} ± {a_moe} points) may have no more {words} than {b_name} ({b} ± "
                     "{b_moe} points), so the two groups may differ less than the split "
                     "suggests.", **figures)
        return _("The Census shares have margins of error, and they do not overlap here: even "
                 "{a_name} ({a} ± {a_moe} points) has more {words} than {b_name} ({b} ± {b_moe} "
                 "points).", **figures)

    def sentences(self) -> Sentences:
        """The comparison in careful words: size, interval, and no cause."""
        words = words_for(self.column)
        types = ngettext("{count} request type", "{count} request types", self.types)
        said = [ngettext("The {count} district with the most {words} ({names}) is set against "
                         "the {count} with the fewest ({others}), over the same period and the "
                         "same request types ({types}).",
                         "The {count} districts with the most {words} ({names}) are set against "
                         "the {count} with the fewest ({others}), over the same period and the "
                         "same request types ({types}).", len(self.higher), words=words,
                         names=format_list(self.higher), others=format_list(self.lower),
                         types=types)]
        if self.days_higher is not None and self.days_lower is not None:
            if self.days_higher > self.days_lower:
                said.append(_("Requests were closed more slowly in the districts with more "
                              "{words}: half within {a} days, against {b} days in the others.",
                              words=words, a=format_number(self.days_higher, 1),
                              b=format_number(self.days_lower, 1)))
            elif self.days_higher < self.days_lower:
                said.append(_("Requests were closed faster in the districts with more "
                              "{words}: half within {a} days, against {b} days in the others.",
                              words=words, a=format_number(self.days_higher, 1),
                              b=format_number(self.days_lower, 1)))
            else:
                said.append(_("Half the requests were closed within {a} days in both.",
                              a=format_number(self.days_higher, 1)))
        if self.on_time_ratio.value is not None:
            said.append(_("{a} of their requests were closed on time, against {b}: {ratio} "
                          "times as often (95% interval {low} to {high}).",
                          a=format_percent(self.on_time_higher),
                          b=format_percent(self.on_time_lower),
                          **_ratio_words(self.on_time_ratio)) + " " + clarity(self.on_time_ratio))
        if self.rate_ratio.value is not None:
            said.append(_("They made {a} requests per 1,000 residents a year, against {b}: {ratio} "
                          "times the rate (95% interval {low} to {high}).",
                          a=format_number(self.rate_higher, 0),
                          b=format_number(self.rate_lower, 0),
                          **_ratio_words(self.rate_ratio)) + " " + clarity(self.rate_ratio))
        margins = self.margin_sentence()
        if margins:
            said.append(margins)
        said.append(_("These figures describe a difference between districts; they do not say "
                      "what causes it."))
        return Sentences(said)


def _ratio_words(ratio: Ratio) -> dict[str, str]:
    return {"ratio": format_number(ratio.value, 2), "low": format_number(ratio.low, 2),
            "high": format_number(ratio.high, 2)}


def clarity(ratio: Ratio) -> str:
    if ratio.clear:
        return _("The interval leaves out 1: chance alone would rarely make a difference this "
                 "large.")
    return _("The interval includes 1: the data cannot tell this difference from chance.")


def split_districts(table: pd.DataFrame, column: str) -> tuple[list[str], list[str]]:
    """The half of the districts with the highest share and the half with the lowest (with
    an odd count, the middle district is in neither), ties kept in the table's order."""
    ranked = table.sort_values(column, ascending=False, kind="stable")["district"].tolist()
    half = len(ranked) // 2
    return ranked[:half], ranked[len(ranked) - half:]


def compare_groups(requests: pd.DataFrame, table: pd.DataFrame, standards: dict | None, *,
                   as_of, column: str = "share_low_income") -> GroupComparison:
    """Compare the districts with the highest ``column`` share with those with the lowest.

    ``table`` is :func:`equity_table`. Rates pool each group's requests over its residents
    and the data's years; on-time shares pool its requests whose standard has passed;
    median days are the Kaplan–Meier median of the group's requests pooled."""
    higher, lower = split_districts(table, column)
    compared = compared_requests(requests, standards)
    years = months_covered(compared) / 12
    group = compared["district"].astype("string").map(
        {**{name: HIGHER for name in higher}, **{name: LOWER for name in lower}})
    pooled = compared.assign(district=group).dropna(subset=["district"])
    kpis = kpi_table(pooled, standards, as_of=as_of, by="district", min_requests=1) \
        .set_index("district") if len(pooled) else pd.DataFrame()
    indexed = table.set_index("district")

    def count(names):
        return int(indexed.loc[names, "requests"].sum())

    def exposure(names):
        return float(indexed.loc[names, "population"].astype(float).sum()) * years

    def figure(name, key):
        if name not in kpis.index or pd.isna(kpis.at[name, key]):
            return None
        return float(kpis.at[name, key])

    def on_time(name):
        known = figure(name, "on_time_known")
        return None if not known else figure(name, "on_time_count") / known

    rate_a = count(higher) / exposure(higher) * PER_RESIDENTS if higher else 0.0
    rate_b = count(lower) / exposure(lower) * PER_RESIDENTS if lower else 0.0
    ontime = share_ratio(int(figure(HIGHER, "on_time_count") or 0),
                         int(figure(HIGHER, "on_time_known") or 0),
                         int(figure(LOWER, "on_time_count") or 0),
                         int(figure(LOWER, "on_time_known") or 0)) if standards else NO_RATIO
    return GroupComparison(
        column, higher, lower, rate_a, rate_b,
        rate_ratio(count(higher), exposure(higher), count(lower), exposure(lower))
        if higher else NO_RATIO,
        on_time(HIGHER), on_time(LOWER), ontime, figure(HIGHER, "median_days"),
        figure(LOWER, "median_days"), int(compared["service_code"].nunique()),
        *group_edges(table, column, higher, lower))


def group_edges(table: pd.DataFrame, column: str, higher: list[str], lower: list[str]
                ) -> tuple[tuple[str, float, float] | None, tuple[str, float, float] | None]:
    """(district, share, margin) for the lowest share of ``higher`` and the highest of
    ``lower``, when the table has the share's margins of error; (None, None) otherwise."""
    margin = f"{column}_moe"
    if margin not in table.columns or not higher or not lower:
        return None, None
    indexed = table.set_index(table["district"].astype(str))
    if indexed.loc[higher + lower, margin].isna().any():
        return None, None

    def edge(names, pick):
        name = pick(names, key=lambda n: indexed.at[n, column])
        return name, float(indexed.at[name, column]), float(indexed.at[name, margin])

    return edge(higher, min), edge(lower, max)


def district_ratios(table: pd.DataFrame, years: float) -> list[Ratio]:
    """Each district's request rate against the rest of the city's, with its interval."""
    total, people = int(table["requests"].sum()), float(table["population"].astype(float).sum())
    return [rate_ratio(int(row.requests), float(row.population) * years,
                       total - int(row.requests), (people - float(row.population)) * years)
            for row in table.itertuples()]


def readable_equity(table: pd.DataFrame, ratios: list[Ratio], *,
                    synthetic: bool) -> ReadableTable:
    """The district table for reading, most low-income first."""
    order = table.assign(ratio=ratios).sort_values("share_low_income", ascending=False,
                                                   kind="stable")
    rows = []
    for row in order.itertuples():
        ratio = row.ratio
        rows.append([
            (str(row.district), False),
            *[(share_words(row, column), True) for column in DEMOGRAPHICS],
            (format_number(row.per_1000_a_year, 0) if pd.notna(row.per_1000_a_year) else "—",
             True),
            (_("{ratio} ({low} to {high})", **_ratio_words(ratio)) if ratio.value else "—",
             True),
            (format_number(row.median_days, 1) if pd.notna(row.median_days) else "—", True),
            (format_percent(row.on_time_share) if pd.notna(row.on_time_share) else "—", True)])
    notes = [_("Requests per 1,000 residents are per year of data. The rate ratio compares the "
               "district with the rest of the city, with its 95% interval (Poisson log "
               "method).")]
    if any(f"{column}_moe" in table.columns for column in DEMOGRAPHICS):
        notes.append(_("Shares marked ± come from the Census ACS: the margin of error, in "
                       "percentage points, at the 90% confidence level."))
    if synthetic:
        notes.append(_("The shares of low-income households, renters and residents without "
                       "internet are synthetic, made from the city's seed: the city file gives "
                       "none."))
    return ReadableTable(
        [_("District"), _("Low-income households"), _("Renters"), _("Without internet"),
         _("Requests per 1,000 residents a year"), _("Rate ratio to the rest of the city"),
         _("Median days to close"), _("On time")],
        rows, caption=_("Service and demographics by district"), notes=notes)


def share_words(row, column: str) -> str:
    """A share for the table, with its margin of error when the Census gave one: "31% ± 4"."""
    share, margin = getattr(row, column), getattr(row, f"{column}_moe", float("nan"))
    if pd.isna(share):
        return "—"
    if pd.isna(margin):
        return format_percent(share)
    return _("{share} ± {margin}", share=format_percent(share), margin=margin_points(margin))


def margin_points(margin: float) -> str:
    """A share's margin of error in percentage points, never a misleading "0".

    >>> margin_points(0.042), margin_points(0.003)
    ('4', '<1')
    """
    points = 100 * margin
    return format_number(points, 0) if points >= 0.5 else "<1"


def channel_mix(requests: pd.DataFrame, districts: list[str]) -> ReadableTable:
    """Each district's requests by channel, as shares of its requests."""
    known = requests[requests["district"].isin(districts)]
    counts = pd.crosstab(known["district"].astype(str), known["channel"].astype(str))
    channels = counts.sum().sort_values(ascending=False).index.tolist()
    shares = counts[channels].div(counts.sum(axis=1), axis=0)
    rows = [[(name, False)] + [(format_percent(shares.at[name, c]), True) for c in channels]
            for name in districts if name in shares.index]
    return ReadableTable([_("District"), *[_(CHANNEL_WORDS[c]) if c in CHANNEL_WORDS else c
                                         for c in channels]], rows,
                         caption=_("How each district's requests arrived"),
                         notes=[_("Shares of each district's requests, by the channel they "
                                  "came in by.")])
