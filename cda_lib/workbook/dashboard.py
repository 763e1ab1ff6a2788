"""The cohort page, ``build/cohort.html``: every built city side by side, for a convening.

For each city: the key figures its notebooks recorded in its workspace (requests in the
last 12 months and per 1,000 residents, the most common request, the share of rows set
aside), a data-quality score per dimension, and which modules are built. One table,
sortable by any column (a few lines of inline script; without script it is in
alphabetical order), then *small multiples*: one card per city, each with two small
charts drawn as inline SVG on the same scales, so cards can be compared at a glance.

Each card and each table row is made from that city's own files only
(``build/<city>/workspace/records.json``, ``build/<city>/data_profile.json`` and its
built modules); nothing is computed across cities except the shared chart scale.
Synthetic cities carry a visible label on their row, their card and both charts.

The data profile is written by the build when it reads a city's data (see
:func:`write_profile`), so the page never reloads a city's data itself.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cda_lib.charts.style import MAIN_COLOUR, OKABE_ITO, SYNTHETIC_ALT_PREFIX
from cda_lib.cities.city import City, load_city
from cda_lib.core import paths
from cda_lib.core.errors import CdaError
from cda_lib.core.files import write_text_atomically
from cda_lib.core.workspace import RECORDS_FILE
from cda_lib.text.numbers import format_percent
from cda_lib.workbook.site import BuiltCity, find_built_cities

PAGE_NAME = "cohort.html"
PROFILE_FILE = "data_profile.json"  # in build/<city>/: what the build read of the city's data
# The quality dimensions of the data-quality profile (GovEx's data-quality framework).
DIMENSIONS = ("completeness", "validity", "consistency", "uniqueness", "accuracy")
# The figures notebooks record that the cohort page shows as columns, with their labels.
KEY_RECORDS = {
    "requests_last_12_months": "Requests in the last 12 months",
    "top_request_type": "Most common request",
    "share_of_rows_set_aside": "Rows set aside",
}
PER_RESIDENTS = 1000  # rates per 1,000 residents: the unit city managers compare
SYNTHETIC_BADGE = "Synthetic data"


# --- the data profile (written during the build) ------------------------------------------


def data_profile(data, fingerprint: str = "") -> dict[str, Any]:
    """What the cohort page shows of a city's data: row counts, quality scores, volume by month.

    A dimension's score is the share of rows read (in %) not affected by any of that
    dimension's problems, counting each problem's rows separately (a row with two problems
    counts twice), so it is a floor: at least that share passed. The overall score is the
    same floor over every problem.
    """
    quality = data.quality.table
    read = max(int(data.account.rows_read), 1)
    problems = quality.groupby("dimension")["rows"].sum() if len(quality) else pd.Series()
    scores = {dim: _floor_score(int(problems.get(dim, 0)), read) for dim in DIMENSIONS}
    return {
        "fingerprint": fingerprint,
        "city": data.city.id,
        "synthetic": bool(data.is_synthetic),
        "source": data.source_description,
        "as_of": str(data.as_of.date()) if pd.notna(data.as_of) else None,
        "rows_read": int(data.account.rows_read),
        "rows_kept": int(data.account.rows_kept),
        "rows_set_aside": int(data.account.rows_set_aside),
        "quality_score": _floor_score(int(quality["rows"].sum()) if len(quality) else 0, read),
        "dimension_scores": scores,
        "requests_by_month": _full_months(data.requests["requested_datetime"]),
    }


def _floor_score(problem_rows: int, rows_read: int) -> float:
    """The share of rows (in %) not among ``problem_rows``, to one decimal.

    >>> _floor_score(25, 1000)
    97.5
    """
    return round(100 * max(0.0, 1 - problem_rows / rows_read), 1)


def _full_months(opened: pd.Series) -> dict[str, int]:
    """Requests per calendar month, leaving out a first or last month the data only partly
    covers (a half month would look like a drop)."""
    opened = opened.dropna()
    if opened.empty:
        return {}
    months = opened.dt.to_period("M")
    counts = months.value_counts().sort_index()
    first, last = opened.min(), opened.max()
    if first.day > 1:
        counts = counts[counts.index > first.to_period("M")]
    if last.normalize() + pd.Timedelta(days=1) <= (last.to_period("M").end_time.normalize()):
        counts = counts[counts.index < last.to_period("M")]
    return {str(period): int(count) for period, count in counts.items()}


def profile_path(build_root: Path, city_id: str) -> Path:
    return Path(build_root) / city_id / PROFILE_FILE


def write_profile(build_root: Path, data, fingerprint: str) -> Path:
    """Write ``build/<city>/data_profile.json`` from freshly loaded data."""
    path = profile_path(build_root, data.city.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, json.dumps(data_profile(data, fingerprint), indent=2))
    return path


def read_profile(build_root: Path, city_id: str) -> dict[str, Any] | None:
    try:
        return json.loads(profile_path(build_root, city_id).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def has_profile(build_root: Path, city_id: str, fingerprint: str) -> bool:
    """True when the city's profile was made from the data with this fingerprint."""
    profile = read_profile(build_root, city_id)
    return profile is not None and profile.get("fingerprint") == fingerprint


# --- gathering each city's own files -------------------------------------------------------


@dataclass
class CityCard:
    """Everything the page shows about one city, read from that city's folder only."""

    city_id: str
    city: City | None
    records: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] | None = None
    modules: dict[str, str] = field(default_factory=dict)  # title -> built / failed

    @property
    def name(self) -> str:
        return self.city.name if self.city is not None else self.city_id

    @property
    def synthetic(self) -> bool:
        if self.profile is not None:
            return bool(self.profile.get("synthetic"))
        return self.city is not None and self.city.uses_synthetic_data

    @property
    def requests_per_1000(self) -> float | None:
        count = self.records.get("requests_last_12_months")
        if not isinstance(count, (int, float)) or self.city is None or not self.city.population:
            return None
        return count / self.city.population * PER_RESIDENTS

    @property
    def modules_built(self) -> int:
        return sum(1 for status in self.modules.values() if status == "built")


def gather_cities(build_root: Path) -> list[CityCard]:
    """One card per city folder in the build that has built modules or a data profile."""
    build_root = Path(build_root)
    built = {city.city_id: city for city in find_built_cities(build_root)} \
        if build_root.is_dir() else {}
    ids = set(built) | {p.parent.name for p in build_root.glob(f"*/{PROFILE_FILE}")}
    cards = [_card(build_root, city_id, built.get(city_id)) for city_id in ids]
    return sorted(cards, key=lambda card: card.name.lower())


def _card(build_root: Path, city_id: str, built: BuiltCity | None) -> CityCard:
    try:
        city = load_city(city_id)
    except CdaError:
        city = None
    modules: dict[str, str] = {}
    for theme in built.themes if built is not None else ():
        for module in theme.modules:
            modules[module.title] = "failed" if module.failed else (
                "built" if module.page else "not built")
    return CityCard(city_id, city, _records(build_root / city_id), read_profile(build_root,
                                                                                city_id), modules)


def _records(city_folder: Path) -> dict[str, Any]:
    path = city_folder / "workspace" / RECORDS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {key: entry.get("value") for key, entry in raw.items() if isinstance(entry, dict)}


# --- the page ------------------------------------------------------------------------------


def write_cohort_page(build_root: Path | None = None) -> Path:
    """Write ``<build_root>/cohort.html`` from the cities built there; return its path."""
    build_root = Path(build_root) if build_root is not None else paths.build_dir()
    build_root.mkdir(parents=True, exist_ok=True)
    path = build_root / PAGE_NAME
    write_text_atomically(path, render_cohort_page(gather_cities(build_root)))
    return path


def render_cohort_page(cards: list[CityCard]) -> str:
    """The cohort page's HTML for ``cards``."""
    if not cards:
        body = "<p>No city has been built yet. Run <code>cda build --all</code>.</p>"
    else:
        scale = _shared_scale(cards)
        modules = list(dict.fromkeys(title for card in cards for title in card.modules))
        body = "\n".join([
            _cohort_table(cards, len(modules)),
            _modules_matrix(cards, modules),
            "<h2 id='cards'>City by city</h2>",
            "<p class='note'>Both charts use the same scales in every card. "
            "Requests are per 1,000 residents, so cities of different sizes compare.</p>",
            "<div class='cards'>",
            *(_city_card(card, scale) for card in cards),
            "</div>",
        ])
    generated = dt.datetime.now().strftime("%d %B %Y, %H:%M")
    return _PAGE.format(style=_STYLE, script=_SCRIPT, body=body, generated=_e(generated),
                        count=len(cards), badge=SYNTHETIC_BADGE)


def _shared_scale(cards: list[CityCard]) -> float:
    """The largest monthly rate per 1,000 residents of any city: every sparkline's top."""
    rates = [rate for card in cards for rate in _monthly_rates(card).values()]
    return max(rates) if rates else 1.0


def _monthly_rates(card: CityCard) -> dict[str, float]:
    if card.profile is None or card.city is None or not card.city.population:
        return {}
    months = card.profile.get("requests_by_month") or {}
    return {month: count / card.city.population * PER_RESIDENTS for month, count in months.items()}


def _cohort_table(cards: list[CityCard], module_count: int) -> str:
    columns = [("City", "text"), ("Country", "text"), ("Population", "number"),
               (KEY_RECORDS["requests_last_12_months"], "number"),
               ("Per 1,000 residents", "number"), (KEY_RECORDS["top_request_type"], "text"),
               (KEY_RECORDS["share_of_rows_set_aside"], "number"),
               ("Data-quality score", "number"), ("Modules built", "number")]
    head = "".join(
        f"<th scope='col' aria-sort='none' data-type='{kind}'>"
        f"<button type='button' class='sort'>{_e(label)}</button></th>"
        for label, kind in columns)
    rows = "\n".join(_table_row(card, module_count) for card in cards)
    return (
        "<h2 id='table'>The cohort at a glance</h2>\n"
        "<p class='note'>Choose a column heading to sort by it; choose it again to reverse. "
        "Figures are what each city's notebooks recorded in its workspace; "
        "&ldquo;&mdash;&rdquo; means not recorded yet.</p>\n"
        f"<div class='scroll'><table class='cohort sortable'>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table></div>"
    )


def _table_row(card: CityCard, module_count: int) -> str:
    city, records, profile = card.city, card.records, card.profile
    count = records.get("requests_last_12_months")
    rate = card.requests_per_1000
    share = records.get("share_of_rows_set_aside")
    score = profile.get("quality_score") if profile else None
    badge = f" <span class='badge'>{SYNTHETIC_BADGE}</span>" if card.synthetic else ""
    cells = [
        _cell(card.name, card.name.lower(), f"<a href='#city-{_e(card.city_id)}'>"
              f"{_e(card.name)}</a>{badge}", header=True),
        _cell(city.country if city else "", (city.country if city else "").lower()),
        _cell(f"{city.population:,}" if city else "—", city.population if city else -1),
        _cell(_count(count), count if isinstance(count, (int, float)) else -1),
        _cell(f"{rate:,.0f}" if rate is not None else "—", rate if rate is not None else -1),
        _cell(str(records.get("top_request_type", "—")),
              str(records.get("top_request_type", "")).lower()),
        _cell(_percent(share), share if isinstance(share, (int, float)) else -1),
        _cell(f"{score:.1f}" if score is not None else "—", score if score is not None else -1),
        _cell(f"{card.modules_built} of {module_count}", card.modules_built),
    ]
    return f"<tr data-city='{_e(card.city_id)}'>{''.join(cells)}</tr>"


def _cell(text: str, sort_value: Any, inner: str | None = None, *, header: bool = False) -> str:
    tag = "th scope='row'" if header else "td"
    close = "th" if header else "td"
    return f"<{tag} data-sort='{_e(sort_value)}'>{inner if inner is not None else _e(text)}" \
           f"</{close}>"


def _modules_matrix(cards: list[CityCard], modules: list[str]) -> str:
    if not modules:
        return ""
    head = "".join(f"<th scope='col'>{_e(title)}</th>" for title in modules)
    symbols = {"built": ("✓", "built"), "failed": ("✗", "failed"),
               "not built": ("–", "not built")}
    rows = []
    for card in cards:
        cells = []
        for title in modules:
            status = card.modules.get(title, "not built")
            symbol, words = symbols.get(status, ("–", "not built"))
            cells.append(f"<td class='m-{status.replace(' ', '-')}' "
                         f"aria-label='{_e(title)}: {words}'>{symbol}</td>")
        rows.append(f"<tr data-city='{_e(card.city_id)}'><th scope='row'>{_e(card.name)}</th>"
                    f"{''.join(cells)}</tr>")
    return (
        "<h2 id='modules'>Which modules are built</h2>\n"
        "<p class='note'>✓ built · ✗ the latest build failed (see the city's page in "
        "<a href='index.html'>the index</a>) · – not built yet</p>\n"
        f"<div class='scroll'><table class='modules'><thead><tr><th scope='col'>City</th>{head}"
        f"</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>"
    )


def _city_card(card: CityCard, scale: float) -> str:
    city, records, profile = card.city, card.records, card.profile
    anchor = _e(f"city-{card.city_id}")
    badge = f" <span class='badge'>{SYNTHETIC_BADGE}</span>" if card.synthetic else ""
    facts = []
    if city is not None:
        facts.append(f"{_e(city.country)} · {city.population:,} residents")
    if profile is not None:
        facts.append(f"{profile['rows_read']:,} rows read, {profile['rows_kept']:,} kept"
                     + (f", data as of {_e(profile['as_of'])}" if profile.get("as_of") else ""))
    figures = "".join(
        f"<div><dt>{_e(label)}</dt><dd>{_e(_shown(key, records.get(key)))}</dd></div>"
        for key, label in KEY_RECORDS.items())
    others = {k: v for k, v in records.items() if k not in KEY_RECORDS}
    other_list = ""
    if others:
        items = "".join(f"<li><code>{_e(k)}</code>: {_e(_shown(k, v))}</li>"
                        for k, v in sorted(others.items()))
        other_list = f"<details><summary>Other recorded figures ({len(others)})</summary>" \
                     f"<ul>{items}</ul></details>"
    charts = (_quality_chart(card) + _volume_chart(card, scale)) if profile is not None else \
        "<p class='note'>The build has not read this city's data yet.</p>"
    return (
        f"<section class='city' id='{anchor}' data-city='{_e(card.city_id)}' "
        f"aria-labelledby='{anchor}-name'>\n"
        f"<h3 id='{anchor}-name'>{_e(card.name)}{badge}</h3>\n"
        f"<p class='facts'>{' · '.join(facts)}</p>\n"
        f"<dl class='figures'>{figures}<div><dt>Modules built</dt>"
        f"<dd>{card.modules_built} of {len(card.modules)}</dd></div></dl>\n"
        f"{other_list}\n<div class='charts'>{charts}</div>\n</section>"
    )


def _quality_chart(card: CityCard) -> str:
    """Five horizontal bars, 0 to 100: the city's data-quality score per dimension."""
    scores = card.profile.get("dimension_scores", {})
    width, bar_left, bar_width, row = 300, 104, 150, 20
    top = 34 if card.synthetic else 20
    height = top + row * len(DIMENSIONS) + 6
    parts = [_svg_heading("Data quality by dimension (% of rows)", card.synthetic)]
    for i, dim in enumerate(DIMENSIONS):
        score = float(scores.get(dim, 100.0))
        y = top + i * row
        parts.append(
            f"<text x='{bar_left - 6}' y='{y + 13}' text-anchor='end' class='label'>"
            f"{dim.capitalize()}</text>"
            f"<rect x='{bar_left}' y='{y + 3}' width='{bar_width}' height='13' fill='#eeeeee'/>"
            f"<rect x='{bar_left}' y='{y + 3}' width='{bar_width * score / 100:.1f}' "
            f"height='13' fill='{MAIN_COLOUR}'/>"
            f"<text x='{bar_left + bar_width + 6}' y='{y + 13}' class='value'>{score:.1f}</text>")
    alt = ("Data-quality score per dimension for " + card.name + ": "
           + ", ".join(f"{dim} {float(scores.get(dim, 100.0)):.1f}%" for dim in DIMENSIONS) + ".")
    return _svg(width, height, alt, card.synthetic, "".join(parts))


def _volume_chart(card: CityCard, scale: float) -> str:
    """A line of requests per 1,000 residents by month, on the cohort's shared scale."""
    rates = _monthly_rates(card)
    width, height, left, right = 300, 120, 36, 10
    top = 34 if card.synthetic else 20
    bottom = height - 18
    parts = [_svg_heading("Requests per 1,000 residents, by month", card.synthetic)]
    if not rates:
        parts.append(f"<text x='{left}' y='{top + 30}' class='label'>No full month of data."
                     "</text>")
        alt = f"No full month of service requests for {card.name}."
        return _svg(width, height, alt, card.synthetic, "".join(parts))
    values = list(rates.values())
    step = (width - left - right) / max(len(values) - 1, 1)
    points = " ".join(
        f"{left + i * step:.1f},{bottom - (bottom - top) * value / scale:.1f}"
        for i, value in enumerate(values))
    months = list(rates)
    parts += [
        f"<line x1='{left}' y1='{bottom}' x2='{width - right}' y2='{bottom}' class='axis'/>",
        f"<text x='{left - 4}' y='{top + 4}' text-anchor='end' class='value'>{scale:.0f}</text>",
        f"<text x='{left - 4}' y='{bottom}' text-anchor='end' class='value'>0</text>",
        f"<polyline points='{points}' fill='none' stroke='{OKABE_ITO[6]}' stroke-width='2'/>",
        f"<text x='{left}' y='{height - 4}' class='value'>{_e(months[0])}</text>",
        f"<text x='{width - right}' y='{height - 4}' text-anchor='end' class='value'>"
        f"{_e(months[-1])}</text>",
    ]
    peak_month = max(rates, key=rates.get)
    alt = (f"Requests per 1,000 residents by month in {card.name}, {months[0]} to "
           f"{months[-1]}: from {min(values):.1f} to {max(values):.1f}, highest in "
           f"{peak_month}.")
    return _svg(width, height, alt, card.synthetic, "".join(parts))


def _svg_heading(text: str, synthetic: bool) -> str:
    heading = f"<text x='0' y='13' class='title'>{_e(text)}</text>"
    if synthetic:  # on the chart itself, so a screenshot keeps it
        heading += (f"<rect x='0' y='18' width='300' height='13' fill='{OKABE_ITO[4]}'/>"
                    "<text x='4' y='28' class='synthetic'>SYNTHETIC DATA, for teaching; not "
                    "real records</text>")
    return heading


def _svg(width: int, height: int, alt: str, synthetic: bool, inner: str) -> str:
    label = f"{SYNTHETIC_ALT_PREFIX} {alt}" if synthetic else alt
    return (f"<svg class='chart' role='img' aria-label='{_e(label)}' viewBox='0 0 {width} "
            f"{height}' width='{width}' height='{height}' xmlns='http://www.w3.org/2000/svg'>"
            f"<title>{_e(label)}</title>{inner}</svg>")


def _shown(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.startswith("share_") and isinstance(value, (int, float)):
        return _percent(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, dict)):
        return f"a table of {len(value)} rows" if isinstance(value, list) else \
            json.dumps(value, ensure_ascii=False)[:80]
    return str(value)


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, (int, float)) else "—"


def _percent(share: Any) -> str:
    # Tenths: the shares here are of rows set aside, often a few percent or less.
    return format_percent(share, 1) if isinstance(share, (int, float)) else "—"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45;
       margin: 2rem auto; padding: 0 1rem; max-width: 78rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.8rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.1rem; margin: 0 0 0.25rem; }
a { color: #0b57d0; }
a:focus, button:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
.note, .facts { color: #444; font-size: 0.92rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.92rem; }
th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid #d0d7de; text-align: left; }
td[data-sort]:not(:first-child) { font-variant-numeric: tabular-nums; }
thead th { background: #f3f5f7; vertical-align: bottom; }
button.sort { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
              cursor: pointer; color: #1a1a1a; text-align: left; }
th[aria-sort='ascending'] button.sort::after { content: ' \\25B2'; }
th[aria-sort='descending'] button.sort::after { content: ' \\25BC'; }
table.modules td { text-align: center; }
.m-built { color: #1b7837; } .m-failed { color: #a4262c; font-weight: 700; }
.m-not-built { color: #666; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; vertical-align: middle;
         padding: 0.05rem 0.45rem; border: 1px solid #8a5a00; border-radius: 0.75rem;
         color: #5c3c00; background: #fff4ce; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(21rem, 1fr));
         gap: 1rem; }
section.city { border: 1px solid #d0d7de; border-radius: 0.5rem; padding: 0.8rem 1rem; }
dl.figures { display: grid; grid-template-columns: 1fr 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0;
             font-size: 0.9rem; }
dl.figures dt { color: #444; } dl.figures dd { margin: 0; font-weight: 600; }
svg.chart { display: block; margin-top: 0.6rem; max-width: 100%; height: auto; }
svg .title { font: 600 12px system-ui, sans-serif; fill: #1a1a1a; }
svg .label { font: 11px system-ui, sans-serif; fill: #444; }
svg .value { font: 10px system-ui, sans-serif; fill: #666; }
svg .synthetic { font: 700 9.5px system-ui, sans-serif; fill: #000; }
svg .axis { stroke: #999; stroke-width: 1; }
"""

# Sorts the cohort table when a column heading is chosen: numbers by value, text
# alphabetically; a second choice reverses. Inline, so the page needs nothing from outside.
_SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  var headers = table.querySelectorAll('thead th');
  headers.forEach(function (th, column) {
    th.querySelector('button').addEventListener('click', function () {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      headers.forEach(function (other) { other.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var numeric = th.dataset.type === 'number';
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.sort, y = b.cells[column].dataset.sort;
        var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>City Data Alliance Workbook: the cohort side by side</title>
<style>{style}</style>
</head>
<body>
<main>
<h1>The cohort side by side</h1>
<p>{count} cities built on this computer, updated {generated}. Cities marked
<span class="badge">{badge}</span> use generated practice data, not real city records.
Back to <a href="index.html">every city and module</a>.</p>
{body}
</main>
<script>{script}</script>
</body>
</html>
"""
