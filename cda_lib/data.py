"""One door to a city's tables: ``load_city_data("riverbend")`` from whichever source.

The notebooks never need to know whether the data is generated, a local export or
a portal download: they get the canonical tables, the load account, the quality
profile and a notice saying plainly where the data comes from. Portal data comes
from the on-disk cache when it is there (see :mod:`cda_lib.sources.portal`); with
``offline=True`` or ``CDA_OFFLINE=1`` only the cache is used.

>>> data = load_city_data("riverbend")  # doctest: +SKIP
>>> data.requests.shape  # doctest: +SKIP
(28410, 12)
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cda_lib import __version__
from cda_lib.cities.city import City, DataSource
from cda_lib.cities.loader import load_city
from cda_lib.core import paths
from cda_lib.core.account import LoadAccount
from cda_lib.core.errors import LoadError
from cda_lib.core.files import atomic_path
from cda_lib.core.needs import DataFacts
from cda_lib.metrics.quality import QualityProfile, quality_profile
from cda_lib.sources.conform import LoadResult, conform_service_requests
from cda_lib.sources.local import load_service_requests_file
from cda_lib.sources.mapping import ColumnMapping
from cda_lib.synth.investments import CandidateInvestments, candidate_investments
from cda_lib.text.dates import format_date
from cda_lib.text.translation import gettext as _, use_language

if TYPE_CHECKING:
    from cda_lib.metrics.disk_table import LargeRequests
    from cda_lib.sources.census import DistrictDemographics
    from cda_lib.synth.ai_uses import AiUseInventory


@dataclass
class CityData:
    """A city's canonical tables, with the account of how they were loaded."""

    city: City
    requests: pd.DataFrame
    districts: pd.DataFrame
    account: LoadAccount
    quality: QualityProfile
    as_of: pd.Timestamp
    source_description: str
    # District demographics from the Census ACS (estimates with margins of error), when
    # the city file has a `demographics` source; None otherwise.
    demographics: DistrictDemographics | None = None
    # True when the city file gives no as_of, so as_of is the data's last moment
    as_of_from_data: bool = False
    # The fictional candidate investments page 2.4 weighs, made from the city's seed
    # whatever its requests' source (cda_lib.synth.investments); None: not made yet.
    investments: CandidateInvestments | None = None
    # Page 2.5's fictional inventory of AI uses (cda_lib.synth.ai_uses); None: made from the
    # city's seed when the page asks for it.
    ai_uses: AiUseInventory | None = None
    # A given data inventory (page 2.2's tests) in place of the city's catalog or its
    # fictional one (cda_lib.themes.invest.inventory.city_inventory); None: read or make it.
    inventory: tuple | None = None

    @property
    def facts(self) -> DataFacts:
        """What the requests hold (months of history, closed dates, districts ...): counted
        once and kept while the requests table stays the same, since every exercise, page
        check and readiness report asks."""
        kept = self.__dict__.get("_facts")
        if kept is None or kept[0] is not self.requests:
            kept = (self.requests, DataFacts.of(self.requests, as_of=self.as_of,
                                                standards=self.city.service_standards))
            self.__dict__["_facts"] = kept
        return kept[1]

    @property
    def years_of_data(self) -> float:
        """How many years the requests cover, as every rate "a year" counts them: 12 of the
        calendar months from the first request's month to the latest one's are a year (24
        months of data, 2.0 years), so a rate is per year whatever the data's length."""
        from cda_lib.metrics.periods import calendar_months_covered

        return calendar_months_covered(self.requests["requested_datetime"]) / 12

    def as_of_text(self) -> str:
        """The as-of moment as pages say it, with where it comes from when not given."""
        if self.as_of_from_data:
            return _("as of {date}, the last moment in the data (no as_of in the city file)",
                     date=format_date(self.as_of, "day"))
        return _("as of {date}", date=format_date(self.as_of, "day_long"))

    @property
    def is_synthetic(self) -> bool:
        return self.city.sources["service_requests"].is_synthetic

    @property
    def chart_context(self):
        """What every chart needs to label itself: city name, synthetic or not, source."""
        from cda_lib.charts.style import ChartContext

        return ChartContext(city_name=self.city.name, synthetic=self.is_synthetic,
                            source_note=_("Source: {source}", source=self.source_description))

    def sources_table(self) -> pd.DataFrame:
        """One row per source: rows read and kept, dates covered, and how fresh it is.

        A table to read (not to compute from): its headings and its tables' names are in the
        page's language."""
        opened = self.requests["requested_datetime"]
        latest = opened.max()
        rows = [{
            _("table"): _("service requests"),
            _("source"): self.source_description,
            _("rows read"): self.account.rows_read,
            _("rows kept"): self.account.rows_kept,
            _("first request"): opened.min(),
            _("latest request"): latest,
            _("extracted"): self.as_of,
            _("days since latest request"): (self.as_of - latest).days if pd.notna(latest)
            else None,
        }]
        if self.demographics is not None:
            areas = len(self.demographics.by_area)
            rows.append({_("table"): _("district demographics"),
                         _("source"): self.demographics.description,
                         _("rows read"): areas, _("rows kept"): areas})
        return pd.DataFrame(rows)

    def notice(self) -> DataNotice:
        """A box for the top of every page saying where the data comes from."""
        return DataNotice(self)


class DataNotice:
    """Renders the data-source notice; synthetic data gets an unmissable label."""

    def __init__(self, data: CityData):
        self.data = data

    def text(self) -> str:
        text = self._requests_text()
        demographics = self.data.demographics
        if demographics is not None:  # the Census API's terms: attribution beside the data
            text += _(" District demographics: {caption}", caption=demographics.caption)
        return text

    def _requests_text(self) -> str:
        city, data = self.data.city, self.data
        when = _("data {as_of}", as_of=data.as_of_text())
        if not data.is_synthetic:
            return _("Real data: {source}, {when}.", source=data.source_description, when=when)
        if city.fictional:
            return _("SYNTHETIC DATA. {city} is a fictional city: every figure on this page comes "
                     "from generated data made for teaching, not from real records ({when}).",
                     city=city.name, when=when)
        return _("SYNTHETIC DATA. {city}'s profile is real, but these service requests are "
                 "generated at the city's scale for teaching, not the city's own records "
                 "({when}). A coach can point the city file at the city's real data.",
                 city=city.name, when=when)

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colour = "#b35806" if self.data.is_synthetic else "#1b7837"
        return (f'<div class="cda-notice" role="note" style="border-left:6px solid {colour};'
                f'padding:0.5em 1em;background:#fff7ec;font-weight:600">'
                f"{html.escape(self.text())}</div>")


def load_city_data(city: str | City, *, offline: bool | None = None,
                   refresh: bool = False) -> CityData:
    """Load a city's service requests and districts, with the account and quality profile.

    Portal sources come from the cache when they are there; ``refresh=True`` downloads
    them again. ``offline=True`` (or ``CDA_OFFLINE=1``) uses the cache only.
    """
    city = city if isinstance(city, City) else load_city(city)
    cached = None if refresh else read_data_cache(city)
    if cached is not None:  # a build already read and checked this city's data
        return cached
    source = city.sources["service_requests"]
    as_of_from_data = source.kind == "local" and not source.options.get("as_of")
    if source.is_synthetic:
        result, as_of, description = _load_synthetic(city)
    elif source.kind == "local":
        result, as_of, description = _load_local(city, source)
    else:
        from cda_lib.sources.portal import load_portal_service_requests

        result, as_of, description = load_portal_service_requests(city, offline=offline,
                                                                  refresh=refresh)
    demographics = None
    if "demographics" in city.sources:
        from cda_lib.sources.portal import load_census_demographics

        demographics = load_census_demographics(city, offline=offline, refresh=refresh)
    return CityData(
        city=city,
        requests=result.table,
        districts=city.districts_table(),
        account=result.account,
        quality=quality_profile(result.table, result.account, city),
        as_of=as_of,
        source_description=description,
        demographics=demographics,
        as_of_from_data=as_of_from_data and not source.is_synthetic,
        investments=candidate_investments(city),
    )


def open_city_requests(city: str | City, *, offline: bool | None = None,
                       refresh: bool = False) -> LargeRequests:
    """A city's service requests kept on disk, for a city too large to hold in pandas.

    The same source, rules and account as :func:`load_city_data`, but the requests stay
    in their Parquet file (generated, local or the portal download in the cache) and the
    KPI functions count them there (see :mod:`cda_lib.metrics.engine`).

    >>> requests = open_city_requests("riverbend")  # doctest: +SKIP
    >>> kpi.kpi_table(requests, city.service_standards, as_of=requests.as_of)  # doctest: +SKIP
    """
    from cda_lib.metrics import engine

    city = city if isinstance(city, City) else load_city(city)
    source = city.sources["service_requests"]
    if source.is_synthetic:
        from cda_lib.synth import generator as synth

        ensure_city_data(city)
        return engine.open_requests(synthetic_data_path(city), as_of=synth.as_of(city),
                                    label=_synthetic_label(city))
    if source.kind == "local":
        file_path, mapping, as_of = _local_source(city, source)
        return engine.open_requests(file_path, mapping, as_of=as_of, time_zone=city.time_zone,
                                    districts=city.district_names_by_id())
    from cda_lib.sources.portal import cached_file, resolve_mapping

    file_path, info = cached_file(city, "service_requests", offline=offline, refresh=refresh)
    return engine.open_requests(file_path, resolve_mapping(city, source.options["mapping"]),
                                as_of=pd.Timestamp(info["fetched_at"]),
                                label=str(info.get("label", "")), time_zone=city.time_zone,
                                districts=city.district_names_by_id())


def synthetic_data_path(city: City) -> Path:
    """Where the generator writes this city's service requests."""
    return paths.generated_dir() / city.id / "service_requests.parquet"


def ensure_city_data(city: City) -> None:
    """Generate the city's synthetic data if it is missing, damaged or made with other settings,
    and download its portal sources that are not in the cache yet (unless offline)."""
    from cda_lib.sources.portal import prefetch_city_sources

    prefetch_city_sources(city)
    source = city.sources["service_requests"]
    if not source.is_synthetic:
        return
    from cda_lib.synth import generator as synth

    path = synthetic_data_path(city)
    if not _is_whole(path) or _generation_settings(path) != synth.generation_settings(city):
        synth.write_city_data(city, path.parent)


def _is_whole(path: Path) -> bool:
    """Whether generated data is there and readable: a file cut short is made again."""
    from cda_lib.sources.parquet_copy import check_parquet

    if not path.exists():
        return False
    try:
        check_parquet(path)
    except LoadError:
        return False
    return True


def _generation_settings(path: Path) -> dict | None:
    info = path.parent / "generation.json"
    if not info.exists():
        return None
    return json.loads(info.read_text(encoding="utf-8")).get("settings")


def _load_synthetic(city: City) -> tuple[LoadResult, pd.Timestamp, str]:
    from cda_lib.synth import generator as synth

    ensure_city_data(city)
    try:
        raw = pd.read_parquet(synthetic_data_path(city))
    except (OSError, ValueError):  # damaged past its footer: generated again, once
        synth.write_city_data(city, synthetic_data_path(city).parent)
        raw = pd.read_parquet(synthetic_data_path(city))
    as_of = synth.as_of(city)
    seed = city.sources["service_requests"].options["seed"]
    description = _("{city} 311, synthetic (generated, seed {seed})", city=city.name, seed=seed)
    result = conform_service_requests(raw, ColumnMapping.identity("generated data"),
                                      source=_synthetic_label(city),
                                      as_of=as_of)
    return result, as_of, description


def _synthetic_label(city: City) -> str:
    """How the load account names generated data, whichever way it is loaded."""
    return _("{city}'s synthetic service requests", city=city.name)


def _load_local(city: City, source: DataSource) -> tuple[LoadResult, pd.Timestamp, str]:
    file_path, mapping, as_of = _local_source(city, source)
    result = load_service_requests_file(file_path, mapping, as_of=as_of,
                                        time_zone=city.time_zone,
                                        districts=city.district_names_by_id())
    return result, result.as_of, f"{city.name} 311, {file_path.name}"


def _local_source(city: City,
                  source: DataSource) -> tuple[Path, str | Path, pd.Timestamp | None]:
    """A local source's file, mapping and as-of moment (None: the data's last moment), with
    paths relative to the city file."""
    base = city.path.parent if city.path is not None else paths.cities_dir()
    file_path = Path(source.options["path"])
    if not file_path.is_absolute():
        file_path = (base / file_path).resolve()
    if not file_path.exists():
        raise LoadError(_(
            "{city}'s city file points service requests at {path}, which does not exist. "
            "Check `sources.service_requests.path` in the city file.", city=city.name,
            path=str(file_path)))
    as_of_option = source.options.get("as_of")
    as_of = pd.Timestamp(as_of_option) if as_of_option else None
    mapping = source.options["mapping"]
    mapping_path = Path(mapping)
    if mapping_path.suffix in {".yaml", ".yml"} and not mapping_path.is_absolute():
        mapping = base / mapping_path
    return file_path, mapping, as_of


# --- the per-build data cache ---------------------------------------------------------------
# A build reads and checks each city's data once and hands it to every notebook of that city
# through a folder named by this variable (its kernels inherit it), instead of each notebook
# reading and checking 350,000 rows again. Without the variable (a participant opening a
# notebook later) load_city_data reads the sources itself, with the same result.
DATA_CACHE_VARIABLE = "CDA_DATA_CACHE"
UNVERIFIED = "unverified-"  # the fingerprint's prefix when a source's files are not known


def data_fingerprint(city: City) -> str:
    """A hash of what the city's data is made from: the city file, every file its sources
    read (data, generation settings, column mapping) and cda_lib's version.

    A source whose files cannot be named (a portal not yet downloaded) makes the fingerprint
    start with ``"unverified-"``: it then shows only that the city file is unchanged.
    """
    digest = hashlib.sha256(__version__.encode())
    digest.update(city.path.read_bytes() if city.path is not None else repr(city).encode())
    verified = True
    for table, source in sorted(city.sources.items()):
        files = _source_files(city, source)
        if files is None:
            verified = False
            digest.update(f"{table}: files not known".encode())
            continue
        for path in files:
            digest.update(f"{table}: {path.name}: {_file_hash(path)}".encode())
    return ("" if verified else UNVERIFIED) + digest.hexdigest()


def write_data_cache(city: City, folder: str | Path) -> CityData:
    """Load and check the city's data once, and keep it in ``folder`` for the notebooks a
    build runs with ``CDA_DATA_CACHE`` set to that folder. Returns the data."""
    fingerprint = data_fingerprint(city)
    with use_language(city.language):  # the notes and names kept are read in the city's pages
        data = load_city_data(city)
    kept = {f.name: getattr(data, f.name) for f in dataclasses.fields(CityData) if f.name != "city"}
    target = Path(folder) / f"{city.id}.pickle"
    with atomic_path(target) as scratch, open(scratch, "wb") as handle:
        pickle.dump({"fingerprint": fingerprint, "data": kept}, handle,
                    protocol=pickle.HIGHEST_PROTOCOL)
    return data


def read_data_cache(city: City) -> CityData | None:
    """The data a build prepared for this city, if ``CDA_DATA_CACHE`` names a folder holding
    it and its fingerprint still matches the city's files; else None (read the sources)."""
    folder = os.environ.get(DATA_CACHE_VARIABLE)
    path = Path(folder) / f"{city.id}.pickle" if folder else None
    if path is None or not path.is_file():
        return None
    try:
        with open(path, "rb") as handle:
            # Written by this build into its own folder moments ago (see write_data_cache).
            stored = pickle.load(handle)
    except Exception:  # damaged or from another version: read the sources instead
        return None
    if not isinstance(stored, dict) or stored.get("fingerprint") != data_fingerprint(city):
        return None
    return CityData(city=city, **stored["data"])


def _source_files(city: City, source: DataSource) -> list[Path] | None:
    """The files a source is read from, or None when they cannot be named."""
    base = city.path.parent if city.path is not None else paths.cities_dir()
    if source.is_synthetic:
        data_path = synthetic_data_path(city)
        return [data_path, data_path.parent / "generation.json"]
    files: list[Path] = []
    if source.kind == "local":
        raw = source.options.get("path")
        for name in raw if isinstance(raw, list) else [raw]:
            path = Path(str(name))
            files.append(path if path.is_absolute() else (base / path).resolve())
    else:
        try:  # a portal source: its entry in the download cache
            from cda_lib.sources import cache, portal

            entry = cache.entry_path(portal.query_for(source).cache_query())
        except Exception:
            return None
        files += [entry, entry.with_suffix(".json")]
    mapping = source.options.get("mapping")
    if mapping:
        mapping_path = Path(str(mapping))
        if mapping_path.suffix not in {".yaml", ".yml"}:
            mapping_path = paths.mappings_dir() / f"{mapping}.yaml"
        elif not mapping_path.is_absolute():
            mapping_path = base / mapping_path
        files.append(mapping_path)
    return files


def _file_hash(path: Path) -> str:
    if not path.is_file():
        return "missing"
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
