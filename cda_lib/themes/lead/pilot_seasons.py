"""The seasonality trap of page 1.4: why a plain before/after misleads about a pilot.

Request volume follows the seasons: the same weeks before and after a pilot's start move
in the treated district *and* where nothing changed. :func:`before_after_volume` counts
the requests of the plan's type in the weeks before and after the start (and the same
weeks a year earlier), treated against comparison; :func:`plot_seasons` shows the two
groups' months on one scale.

>>> import pandas as pd
>>> requests = pd.DataFrame({
...     "service_code": ["POTHOLE"] * 6,
...     "district": ["South", "North", "South", "North", "South", "South"],
...     "requested_datetime": pd.to_datetime(["2025-03-01", "2025-03-20", "2025-03-21",
...                                           "2025-04-03", "2025-04-04", "2025-04-20"])})
>>> plan = EvaluationPlan("North", "POTHOLE", "Pothole repair", pd.Timestamp("2025-04-01"))
>>> before_after_volume(requests, plan, weeks=2).table[["before", "after"]]
                      before  after
North                      1      1
Comparison districts       1      1
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.charts.style import Chart, ChartContext, finish_chart, new_axes, style_axes
from cda_lib.core.errors import ChartDataError
from cda_lib.core.frames import frame_html
from cda_lib.metrics.evaluation import EvaluationError
from cda_lib.metrics.periods import whole_months
from cda_lib.metrics.selection import select_requests
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_percent
from cda_lib.text.translation import gettext as _
from cda_lib.themes.lead.performance_charts import COMPARISON_COLOUR, TREATED_COLOUR
from cda_lib.themes.lead.pilot_evaluation import EvaluationPlan

# A quarter either side of the start: the "three months before, three months after" a
# manager would naturally compare, and long enough to hold a season's turn.
SEASON_WEEKS = 13
YEAR = pd.Timedelta(weeks=52)  # "a year earlier", in whole weeks, so weekdays line up
# The two lines of the seasons chart "move together" when their monthly values correlate
# at least this well: a strong positive correlation by the usual reading (0.6 and above).
MOVE_TOGETHER = 0.6
COMPARISON_ROW = "Comparison districts"  # the table's second row (a key: named in English)


@dataclass(frozen=True)
class BeforeAfterVolume:
    """Requests of the plan's type in the weeks before and after the start, by group.

    ``table`` has a row for the treated district and one for the comparison districts,
    with ``before``, ``after``, ``change`` (after ÷ before − 1) and, when the data goes
    back far enough, ``year_before`` (the same weeks as ``after``, 52 weeks earlier) and
    ``change_on_year``.
    """

    table: pd.DataFrame
    weeks: int
    plan: EvaluationPlan

    def summary(self) -> str:
        """The plain before/after, next to the same change where nothing changed."""
        treated = self.table.iloc[0]
        others = self.table.iloc[1]
        text = _("{service} requests in {district} {moved} from the {weeks} weeks before "
                 "{start} to the {weeks} weeks after. In the comparison districts, which did "
                 "not get the change, they {others}.", service=self.plan.service_name,
                 district=self.plan.district, moved=_moved(treated["change"]),
                 weeks=self.weeks, start=format_date(self.plan.start),
                 others=_moved(others["change"]))
        if "change_on_year" in self.table.columns and pd.notna(treated["change_on_year"]):
            text += " " + _("Against the same {weeks} weeks a year earlier, which takes the "
                            "season out, {district} was {change} and the comparison districts "
                            "{others}: what is left is the year's trend, and chance.",
                            weeks=self.weeks, district=self.plan.district,
                            change=_signed(treated["change_on_year"]),
                            others=_signed(others["change_on_year"]))
        return text

    def readable(self) -> pd.DataFrame:
        """The table with its columns named in words and its changes as signed percents."""
        shown = self.table.copy()
        for column in ("change", "change_on_year"):
            if column in shown.columns:
                shown[column] = shown[column].map(_signed)
        weeks = self.weeks
        shown.index = [_("Comparison districts") if row == COMPARISON_ROW else row
                       for row in shown.index]
        return shown.rename(columns={
            "before": _("{weeks} weeks before", weeks=weeks),
            "after": _("{weeks} weeks after", weeks=weeks),
            "year_before": _("the weeks after, a year earlier"), "change": _("change"),
            "change_on_year": _("change on a year earlier")})

    def __str__(self) -> str:
        return f"{self.readable().to_string()}\n{self.summary()}"

    __repr__ = __str__  # plain text shows the words, not the fields

    def _repr_html_(self) -> str:
        return f"{frame_html(self.readable())}<p>{html.escape(self.summary())}</p>"


def before_after_volume(requests: pd.DataFrame, plan: EvaluationPlan, *,
                        weeks: int = SEASON_WEEKS) -> BeforeAfterVolume:
    """Requests of the plan's type before and after its start, treated and comparison.

    Requests without a district count in neither group. The weeks after the start must
    lie inside the data.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, (int, np.integer)) or weeks < 1:
        raise EvaluationError(_("weeks should be a whole number such as 13, not {value}.",
                                value=repr(weeks)))
    chosen = select_requests(requests, service_code=plan.service_code)
    opened = chosen["requested_datetime"]
    length = pd.Timedelta(weeks=int(weeks))
    if plan.start - length < opened.min() or plan.start + length > opened.max() + pd.Timedelta(
            days=1):
        raise EvaluationError(_(
            "The {weeks} weeks before and after {start} do not fit inside the data ({first} to "
            "{last}). Choose fewer weeks.", weeks=weeks, start=format_date(plan.start),
            first=format_date(opened.min()), last=format_date(opened.max())))
    district = chosen["district"].astype("string")
    treated = (district == plan.district).fillna(False).to_numpy()
    located = district.notna().to_numpy()
    windows = {"before": (plan.start - length, plan.start), "after": (plan.start,
                                                                     plan.start + length)}
    if plan.start - YEAR >= opened.min():
        windows["year_before"] = (plan.start - YEAR, plan.start - YEAR + length)
    rows = {}
    for label, members in ((plan.district, treated), (COMPARISON_ROW, located & ~treated)):
        rows[label] = {name: int(((opened >= low) & (opened < high)).to_numpy()[members].sum())
                       for name, (low, high) in windows.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["change"] = table["after"] / table["before"].where(table["before"] > 0) - 1
        if "year_before" in table.columns:
            table["change_on_year"] = (table["after"]
                                       / table["year_before"].where(table["year_before"] > 0) - 1)
    return BeforeAfterVolume(table=table, weeks=int(weeks), plan=plan)


def _moved(change: float) -> str:
    if pd.isna(change):
        return _("cannot be compared (none in the weeks before)")
    if abs(change) < 0.005:
        return _("stayed the same")
    size = format_percent(abs(change))
    return _("rose {change}", change=size) if change > 0 else _("fell {change}", change=size)


def _signed(change: float) -> str:
    return "—" if pd.isna(change) else format_percent(change, signed=True)


def monthly_index(requests: pd.DataFrame, plan: EvaluationPlan) -> pd.DataFrame:
    """Requests of the plan's type per whole month, treated and comparison, and each as a
    percentage of its own average month (100 = an average month).

    A first or last month the data only partly covers is left out.
    """
    chosen = select_requests(requests, service_code=plan.service_code)
    chosen = chosen[chosen["district"].notna().to_numpy()]
    opened = chosen["requested_datetime"]
    months = whole_months(opened)
    treated = (chosen["district"].astype("string") == plan.district).fillna(False).to_numpy()
    month = opened.dt.to_period("M")
    table = pd.DataFrame({
        "treated": month[treated].value_counts().reindex(months, fill_value=0),
        "comparison": month[~treated].value_counts().reindex(months, fill_value=0)})
    for group in ("treated", "comparison"):
        average = table[group].mean()
        table[f"{group}_index"] = table[group] / average * 100 if average > 0 else np.nan
    table.index.name = "month"
    return table


def plot_seasons(requests: pd.DataFrame, plan: EvaluationPlan, *,
                 context: ChartContext) -> Chart:
    """Monthly requests of the plan's type, treated against comparison, on one scale.

    Each line is its group's requests per month as a percentage of its own average month,
    so a small district and the rest of the city can be read together; the title says
    whether they rise and fall together (the season) or not.
    """
    table = monthly_index(requests, plan)
    usable = table.dropna()
    if len(usable) < 3:
        raise ChartDataError(_("There are fewer than three whole months of these requests, too "
                               "few to show a season. Choose a request type with more "
                               "requests."))
    together = float(usable["treated_index"].corr(usable["comparison_index"]))
    x = usable.index.to_timestamp()
    figure, ax = new_axes()
    ax.plot(x, usable["comparison_index"], color=COMPARISON_COLOUR, linewidth=2,
            label=_("Comparison districts"))
    ax.plot(x, usable["treated_index"], color=TREATED_COLOUR, linewidth=2, marker="o",
            markersize=4, label=plan.district)
    ax.axhline(100, color="#666666", linewidth=0.8, linestyle=":")
    ax.axvline(plan.start, color="#1A1A1A", linewidth=1.2)
    ax.annotate(_("Change starts"), (plan.start, 1), xycoords=("data", "axes fraction"),
                xytext=(4, -12), textcoords="offset points", fontsize=8)
    ax.set_ylim(0, max(150.0, float(usable[["treated_index", "comparison_index"]].max().max())
                       * 1.1))
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    style_axes(ax, value_axis="y", xlabel=_("Month"),
                ylabel=_("Requests (% of the group's average month)"))
    values = {"service": plan.service_name, "district": plan.district,
              "city": context.city_name}
    if not np.isfinite(together):
        title = _("{service} requests in {district} and the comparison districts, month by "
                  "month", **values)
    elif together >= MOVE_TOGETHER:
        title = _("{service} requests rise and fall with the seasons in {district} and in the "
                  "comparison districts alike", **values)
    else:
        title = _("{service} requests in {district} do not follow the comparison districts' "
                  "months", **values)
    notes = [_("Each line is its group's requests per month as a percentage of its own "
               "average month (100), so a district and the rest of the city share one scale."),
             _("Correlation of the two lines: {correlation:.2f} (1 = they move exactly "
               "together).", correlation=together)
             if np.isfinite(together) else _("The two lines cannot be correlated.")]
    return finish_chart(
        figure, context=context, title=title,
        subtitle=_("{service} requests per month, {district} and the other districts of {city}, "
                   "{first} – {last}", first=format_date(usable.index[0].start_time,
                                                         "month_short"),
                   last=format_date(usable.index[-1].start_time, "month_short"), **values),
        notes=notes, panel_height=3.2,
        description=_("Line chart of {service} requests per month in {district} and in the "
                      "other districts of {city}, each as a percentage of its average month, "
                      "with the start of the change on {start}.", **{
                          **values, "service": plan.service_name.lower()},
                      start=format_date(plan.start, "long")))
