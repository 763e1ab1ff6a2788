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

The page shows every city, whatever its language: it is the coach's, written in English,
or in the build's ``--language`` when it has one (``write_cohort_page(language=...)``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cda_lib.charts.style import MAIN_COLOUR, OKABE_ITO, SYNTHETIC_ALT_PREFIX
from cda_lib.cities.city import City
from cda_lib.cities.loader import load_city
from cda_lib.core import paths
from cda_lib.core.errors import CdaError
from cda_lib.core.files import write_text_atomically
from cda_lib.core.needs import DataFacts
from cda_lib.core.pages import render_page
from cda_lib.core.records import RECORDS
from cda_lib.core.workspace import RECORDS_FILE, shown_value
from cda_lib.metrics.periods import requests_per_whole_month
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import (
    N_,
    SOURCE_LANGUAGE,
    current_language,
    format_message,
    gettext as _,
    use_language,
)
from cda_lib.themes import module_for_notebook
from cda_lib.workbook.readiness import readiness, write_readiness_page
from cda_lib.workbook.site import BuiltCity, find_built_cities

PAGE_NAME = "cohort.html"
PROFILE_FILE = "data_profile.json"  # in build/<city>/: what the build read of the city's data
# The quality dimensions of the data-quality profile (GovEx's data-quality framework).
DIMENSIONS = ("completeness", "validity", "consistency", "uniqueness", "accuracy")
# Each dimension's name on a chart's bar, and inside a sentence.
DIMENSION_NAMES = {"completeness": N_("Completeness"), "validity": N_("Validity"),
                   "consistency": N_("Consistency"), "uniqueness": N_("Uniqueness"),
                   "accuracy": N_("Accuracy")}
DIMENSION_WORDS = {"completeness": N_("completeness"), "validity": N_("validity"),
                   "consistency": N_("consistency"), "uniqueness": N_("uniqueness"),
                   "accuracy": N_("accuracy")}
# The figures notebooks record that the cohort page shows as columns, with their labels.
KEY_RECORDS = {
    "requests_last_12_months": N_("Requests in the last 12 months"),
    "top_request_type": N_("Most common request"),
    "share_of_rows_set_aside": N_("Rows set aside"),
}
PER_RESIDENTS = 1000  # rates per 1,000 residents: the unit city managers compare
SYNTHETIC_BADGE = N_("Synthetic data")
N_("Synthetic data.")  # charts.style.SYNTHETIC_ALT_PREFIX, which begins a synthetic chart's label


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
        "as_of_from_data": bool(data.as_of_from_data),
        "rows_read": int(data.account.rows_read),
        "rows_kept": int(data.account.rows_kept),
        "rows_set_aside": int(data.account.rows_set_aside),
        "quality_score": _floor_score(int(quality["rows"].sum()) if len(quality) else 0, read),
        "dimension_scores": scores,
        "requests_by_month": _full_months(data.requests["requested_datetime"]),
        # what the data holds, for the readiness summary (cda_lib.workbook.readiness)
        "facts": dataclasses.asdict(data.facts),
    }


def _floor_score(problem_rows: int, rows_read: int) -> float:
    """The share of rows (in %) not among ``problem_rows``, to one decimal.

    >>> _floor_score(25, 1000)
    97.5
    """
    return round(100 * max(0.0, 1 - problem_rows / rows_read), 1)


def _full_months(opened: pd.Series) -> dict[str, int]:
    """Requests per whole calendar month, a month with none as 0, leaving out a first or
    last month the data only partly covers (a half month would look like a drop)."""
    counts = requests_per_whole_month(opened)
    return {str(month): int(count) for month, count in counts.items()}


def profile_path(build_root: Path, city_id: str) -> Path:
    return Path(build_root) / city_id / PROFILE_FILE


def write_profile(build_root: Path, data, fingerprint: str) -> Path:
    """Write ``build/<city>/data_profile.json`` from freshly loaded data, and the city's
    data readiness report beside it (``readiness.html``)."""
    path = profile_path(build_root, data.city.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, json.dumps(data_profile(data, fingerprint), indent=2))
    write_readiness_page(data, build_root)
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
    modules: dict[str, str] = field(default_factory=dict)  # title -> built / failed ...
    # title -> the sentences of the sections the city's data could not run
    skipped: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
        return sum(1 for status in self.modules.values() if status in ("built", "skipped"))


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
    skipped: dict[str, tuple[str, ...]] = {}
    for theme in built.themes if built is not None else ():
        for module in theme.modules:
            key = module_column(module)
            modules[key] = "failed" if module.failed else (
                "not built" if not module.page else "skipped" if module.skipped else "built")
            if module.skipped and not module.failed:
                skipped[key] = module.skipped
    return CityCard(city_id, city, _records(build_root / city_id), read_profile(build_root,
                                                                                city_id), modules,
                    skipped)


def module_column(module) -> str:
    """A built module's column on the cohort page: its id and title in the page's language
    when the registry knows its notebook (so a Spanish city's "1.2 Medir el desempeño"
    and an English city's "1.2 Measuring performance" share one column), else its title."""
    built = module.notebook or module.failed or module.page or ""
    relative = "/".join(Path(built).parts[-2:]).replace(".failed.ipynb", ".ipynb")
    relative = relative.removesuffix(".html") + (".ipynb" if relative.endswith(".html")
                                                 else "")
    known = module_for_notebook(relative)
    return f"{known.id} {_(known.title)}" if known is not None else module.title


def _records(city_folder: Path) -> dict[str, Any]:
    path = city_folder / "workspace" / RECORDS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {key: entry.get("value") for key, entry in raw.items() if isinstance(entry, dict)}


# --- the page ------------------------------------------------------------------------------


def write_cohort_page(build_root: Path | None = None, language: str | None = None) -> Path:
    """Write ``<build_root>/cohort.html`` from the cities built there; return its path.

    ``language``: the page's language (default English: the cohort page is the coach's)."""
    build_root = Path(build_root) if build_root is not None else paths.build_dir()
    build_root.mkdir(parents=True, exist_ok=True)
    path = build_root / PAGE_NAME
    with use_language(language):
        page = render_cohort_page(gather_cities(build_root))
    write_text_atomically(path, page)
    return path


def render_cohort_page(cards: list[CityCard]) -> str:
    """The cohort page's HTML for ``cards``."""
    scale = _shared_scale(cards)
    modules = list(dict.fromkeys(title for card in cards for title in card.modules))
    now = dt.datetime.now()
    return render_page(
        "pages/cohort.html.j2",
        cards=cards, badge=_(SYNTHETIC_BADGE), modules=modules,
        generated=_("{date}, {time}", date=format_date(now, "long"), time=now.strftime("%H:%M")),
        columns=[(_(label), kind) for label, kind in _COLUMNS],
        rows=[_table_row(card, len(modules)) for card in cards],
        spread=spread_sentences(cards),
        matrix=[_matrix_row(card, modules) for card in cards],
        city_cards=[_city_card(card, scale) for card in cards])


# The cohort table's columns: heading, and whether it sorts as text or as a number.
_COLUMNS = [(N_("City"), "text"), (N_("Country"), "text"), (N_("Population"), "number"),
            (KEY_RECORDS["requests_last_12_months"], "number"),
            (N_("Per 1,000 residents"), "number"), (KEY_RECORDS["top_request_type"], "text"),
            (KEY_RECORDS["share_of_rows_set_aside"], "number"),
            (N_("Data-quality score"), "number"), (N_("Modules built"), "number")]
# How the modules matrix shows a module's status: its symbol and its words for a reader.
_MODULE_SYMBOLS = {"built": ("✓", N_("built")), "failed": ("✗", N_("failed")),
                   "skipped": ("◐", N_("built with sections skipped")),
                   "not built": ("–", N_("not built"))}


def _shared_scale(cards: list[CityCard]) -> float:
    """The largest monthly rate per 1,000 residents of any city: every sparkline's top."""
    rates = [rate for card in cards for rate in _monthly_rates(card).values()]
    return max(rates) if rates else 1.0


def _monthly_rates(card: CityCard) -> dict[str, float]:
    if card.profile is None or card.city is None or not card.city.population:
        return {}
    months = card.profile.get("requests_by_month") or {}
    return {month: count / card.city.population * PER_RESIDENTS for month, count in months.items()}


def _table_row(card: CityCard, module_count: int) -> list[tuple[str, Any]]:
    """The row's cells after the city's own: (text shown, value the column sorts on)."""
    city, records, profile = card.city, card.records, card.profile
    count = records.get("requests_last_12_months")
    rate = card.requests_per_1000
    share = records.get("share_of_rows_set_aside")
    score = profile.get("quality_score") if profile else None
    return [
        (city.country if city else "", (city.country if city else "").lower()),
        (format_number(city.population) if city else "—", city.population if city else -1),
        (_count(count), count if isinstance(count, (int, float)) else -1),
        (format_message("{rate:,.0f}", rate=rate) if rate is not None else "—",
         rate if rate is not None else -1),
        (str(records.get("top_request_type", "—")),
         str(records.get("top_request_type", "")).lower()),
        (_percent(share), share if isinstance(share, (int, float)) else -1),
        (format_message("{score:.1f}", score=score) if score is not None else "—",
         score if score is not None else -1),
        (_("{built} of {total}", built=card.modules_built, total=module_count),
         card.modules_built),
    ]


def spread_sentences(cards: list[CityCard]) -> list[str]:
    """How far apart the cities are on the table's two comparable figures, in words, so
    that a column of near-equal numbers is read as what it is, not as a display fault:
    the rate per 1,000 residents and the data-quality score, each as shown in the table."""
    said = []
    rates = [(format_message("{rate:,.0f}", rate=card.requests_per_1000), card.requests_per_1000,
              card.name) for card in cards if card.requests_per_1000 is not None]
    scores = [(format_message("{score:.1f}", score=card.profile["quality_score"]),
               card.profile["quality_score"], card.name) for card in cards
              if card.profile and card.profile.get("quality_score") is not None]
    for figures, same, apart in (
            (rates, N_("Requests per 1,000 residents: {value} in each of the {count} cities."),
             N_("Requests per 1,000 residents: from {low} in {low_city} to {high} in "
                "{high_city}.")),
            (scores, N_("Data-quality score: {value} in each of the {count} cities."),
             N_("Data-quality score: from {low} in {low_city} to {high} in {high_city}."))):
        if len(figures) < 2:
            continue
        low, high = min(figures, key=lambda f: f[1]), max(figures, key=lambda f: f[1])
        said.append(_(same, value=low[0], count=len(figures)) if low[0] == high[0] else
                    _(apart, low=low[0], low_city=low[2], high=high[0], high_city=high[2]))
    return said


def _matrix_row(card: CityCard, modules: list[str]) -> list[tuple[str, str, str, str]]:
    """One (title, css status, symbol, words) per module, for the modules matrix."""
    cells = []
    for title in modules:
        status = card.modules.get(title, "not built")
        symbol, words = _MODULE_SYMBOLS.get(status, _MODULE_SYMBOLS["not built"])
        cells.append((title, status.replace(" ", "-"), symbol, _(words)))
    return cells


def _city_card(card: CityCard, scale: float) -> dict[str, Any]:
    """What one city's card shows: its facts, figures and (once its data is read) charts."""
    city, records, profile = card.city, card.records, card.profile
    facts = []
    if city is not None:
        facts.append(_("{country} · {population:,} residents", country=city.country,
                       population=city.population))
    if profile is not None:
        fact = _("{read:,} rows read, {kept:,} kept", read=profile["rows_read"],
                 kept=profile["rows_kept"])
        if profile.get("as_of"):
            fact += _(", data as of {as_of}", as_of=_as_of_date(profile["as_of"]))
        if profile.get("as_of_from_data"):
            fact += " " + _("(the last moment in the data: no as_of in the city file)")
        facts.append(fact)
    others = {k: v for k, v in records.items() if k not in KEY_RECORDS}
    return {
        "card": card,
        "facts": facts,
        "figures": [(_(label), _shown(key, records.get(key)))
                    for key, label in KEY_RECORDS.items()],
        "others": [_described(key, value) for key, value in sorted(others.items())],
        "charts": [_quality_chart(card), _volume_chart(card, scale)] if profile is not None
        else [],
        "readiness": _readiness_summary(profile),
    }


def _readiness_summary(profile: dict[str, Any] | None) -> str:
    """The city's readiness in a sentence or two ('' before the build has read its data)."""
    facts = (profile or {}).get("facts")
    if not isinstance(facts, dict):
        return ""
    try:
        return readiness(DataFacts(**facts)).summary()
    except TypeError:  # a profile written by an older workbook
        return ""


def _quality_chart(card: CityCard) -> dict[str, Any]:
    """Five horizontal bars, 0 to 100: the city's data-quality score per dimension."""
    scores = card.profile.get("dimension_scores", {})
    bar_left, bar_width, row = 104, 150, 20
    top = 34 if card.synthetic else 20
    bars = []
    for i, dim in enumerate(DIMENSIONS):
        score = float(scores.get(dim, 100.0))
        bars.append({"label": _(DIMENSION_NAMES[dim]), "y": top + i * row,
                     "score": format_message("{score:.1f}", score=score),
                     "length": f"{bar_width * score / 100:.1f}"})
    scored = ", ".join(format_message("{dimension} {score:.1f}%", dimension=_(DIMENSION_WORDS[dim]),
                                      score=float(scores.get(dim, 100.0))) for dim in DIMENSIONS)
    alt = _("Data-quality score per dimension for {city}: {scores}.", city=card.name,
            scores=scored)
    return _chart("quality", card, top + row * len(DIMENSIONS) + 6, alt,
                  _("Data quality by dimension (% of rows)"), bars=bars, bar_left=bar_left,
                  bar_width=bar_width, fill=MAIN_COLOUR)


def _volume_chart(card: CityCard, scale: float) -> dict[str, Any]:
    """A line of requests per 1,000 residents by month, on the cohort's shared scale."""
    rates = _monthly_rates(card)
    width, left, right = 300, 36, 10
    # the scale's label sits at the top of the plot: below the synthetic band, never on it
    top = 46 if card.synthetic else 20
    height = 94 + top
    bottom = height - 18
    heading = _("Requests per 1,000 residents, by month")
    if not rates:
        return _chart("volume", card, height, _("No full month of service requests for {city}.",
                                                city=card.name),
                      heading, empty=True, left=left, top=top)
    values = list(rates.values())
    step = (width - left - right) / max(len(values) - 1, 1)
    points = " ".join(
        f"{left + i * step:.1f},{bottom - (bottom - top) * value / scale:.1f}"
        for i, value in enumerate(values))
    months = list(rates)
    peak_month = max(rates, key=rates.get)
    alt = _("Requests per 1,000 residents by month in {city}, {first} to {last}: from "
            "{low:.1f} to {high:.1f}, highest in {peak}.", city=card.name,
            first=_month_label(months[0]), last=_month_label(months[-1]), low=min(values),
            high=max(values), peak=_month_label(peak_month))
    return _chart("volume", card, height, alt, heading, empty=False, left=left, right=right,
                  top=top, bottom=bottom, scale=f"{scale:.0f}", points=points,
                  stroke=OKABE_ITO[6], first_month=_month_label(months[0]),
                  last_month=_month_label(months[-1]))


def _chart(kind: str, card: CityCard, height: int, alt: str, heading: str,
           **drawing: Any) -> dict[str, Any]:
    """One inline SVG chart of a card, 300 wide; synthetic data says so on the chart itself
    (so a screenshot keeps it) and in its label."""
    label = f"{_(SYNTHETIC_ALT_PREFIX)} {alt}" if card.synthetic else alt
    return {"kind": kind, "width": 300, "height": height, "label": label, "heading": heading,
            "synthetic": card.synthetic, "band": OKABE_ITO[4], **drawing}


def _described(key: str, value: Any) -> tuple[str, str]:
    """A record as the card lists it: its module and meaning, and its value in words (the
    workspace's own wording, as module pages show it), never its code name or JSON."""
    spec = RECORDS.get(key)
    meaning = f"{spec.module} · {_(spec.description).rstrip('.')}" if spec else key
    return meaning, shown_value(value, spec)


def _shown(key: str, value: Any) -> str:
    """One of the card's key figures (KEY_RECORDS: a count, a text, a share)."""
    if value is None:
        return "—"
    if key.startswith("share_") and isinstance(value, (int, float)):
        return _percent(value)
    if isinstance(value, float):
        return format_message("{value:,.2f}", value=value)
    if isinstance(value, int):
        return format_message("{value:,}", value=value)
    return str(value)


def _as_of_date(as_of: str) -> str:
    """The profile's as_of day ("2025-12-31"): as it is in English (the page has always
    shown the ISO day), written the language's way in the others ("31 dic 2025")."""
    if current_language() == SOURCE_LANGUAGE:
        return as_of
    try:
        return format_date(dt.date.fromisoformat(as_of), "day")
    except ValueError:
        return as_of


def _month_label(month: str) -> str:
    """A profile's month ("2025-01"): as it is in English, "ene 2025" in Spanish."""
    if current_language() == SOURCE_LANGUAGE:
        return month
    try:
        return format_date(dt.date.fromisoformat(f"{month}-01"), "month_short")
    except ValueError:
        return month


def _count(value: Any) -> str:
    return format_message("{value:,}", value=value) if isinstance(value, (int, float)) else "—"


def _percent(share: Any) -> str:
    # Tenths: the shares here are of rows set aside, often a few percent or less.
    return format_percent(share, 1) if isinstance(share, (int, float)) else "—"
