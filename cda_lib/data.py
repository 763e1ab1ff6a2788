"""One door to a city's tables: ``load_city_data("riverbend")`` from whichever source.

The notebooks never need to know whether the data is generated, a local export or
(later) a portal download: they get the canonical tables, the load account, the
quality profile and a notice saying plainly where the data comes from.

>>> data = load_city_data("riverbend")  # doctest: +SKIP
>>> data.requests.shape  # doctest: +SKIP
(28410, 12)
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cda_lib import paths
from cda_lib.account import LoadAccount
from cda_lib.cities import City, DataSource, load_city
from cda_lib.errors import LoadError
from cda_lib.quality import QualityProfile, quality_profile
from cda_lib.sources.conform import LoadResult, conform_service_requests
from cda_lib.sources.local import load_service_requests_file
from cda_lib.sources.mapping import ColumnMapping


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

    @property
    def is_synthetic(self) -> bool:
        return self.city.sources["service_requests"].is_synthetic

    @property
    def chart_context(self):
        """What every chart needs to label itself: city name, synthetic or not, source."""
        from cda_lib.charts import ChartContext

        return ChartContext(city_name=self.city.name, synthetic=self.is_synthetic,
                            source_note=f"Source: {self.source_description}")

    def sources_table(self) -> pd.DataFrame:
        """One row per source: rows read and kept, dates covered, and how fresh it is."""
        opened = self.requests["requested_datetime"]
        latest = opened.max()
        return pd.DataFrame([{
            "table": "service requests",
            "source": self.source_description,
            "rows read": self.account.rows_read,
            "rows kept": self.account.rows_kept,
            "first request": opened.min(),
            "latest request": latest,
            "extracted": self.as_of,
            "days since latest request": (self.as_of - latest).days if pd.notna(latest) else None,
        }])

    def notice(self) -> DataNotice:
        """A box for the top of every page saying where the data comes from."""
        return DataNotice(self)


class DataNotice:
    """Renders the data-source notice; synthetic data gets an unmissable label."""

    def __init__(self, data: CityData):
        self.data = data

    def text(self) -> str:
        city, data = self.data.city, self.data
        when = f"data as of {data.as_of:%d %B %Y}"
        if not data.is_synthetic:
            return f"Real data: {data.source_description}, {when}."
        if city.fictional:
            return (f"SYNTHETIC DATA. {city.name} is a fictional city: every figure on this page "
                    f"comes from generated data made for teaching, not from real records ({when}).")
        return (f"SYNTHETIC DATA. {city.name}'s profile is real, but these service requests are "
                f"generated at the city's scale for teaching, not the city's own records ({when}). "
                "A coach can point the city file at the city's real data.")

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colour = "#b35806" if self.data.is_synthetic else "#1b7837"
        return (f'<div class="cda-notice" role="note" style="border-left:6px solid {colour};'
                f'padding:0.5em 1em;background:#fff7ec;font-weight:600">'
                f"{html.escape(self.text())}</div>")


def load_city_data(city: str | City) -> CityData:
    """Load a city's service requests and districts, with the account and quality profile."""
    city = city if isinstance(city, City) else load_city(city)
    source = city.sources["service_requests"]
    if source.is_synthetic:
        result, as_of, description = _load_synthetic(city)
    else:
        result, as_of, description = _load_local(city, source)
    return CityData(
        city=city,
        requests=result.table,
        districts=city.districts_table(),
        account=result.account,
        quality=quality_profile(result.table, result.account, city),
        as_of=as_of,
        source_description=description,
    )


def synthetic_data_path(city: City) -> Path:
    """Where the generator writes this city's service requests."""
    return paths.generated_dir() / city.id / "service_requests.parquet"


def ensure_city_data(city: City) -> None:
    """Generate the city's synthetic data if it is missing or was made with other settings."""
    source = city.sources["service_requests"]
    if not source.is_synthetic:
        return
    from cda_lib import synth

    path = synthetic_data_path(city)
    if not path.exists() or _generation_settings(path) != synth.generation_settings(city):
        synth.write_city_data(city, path.parent)


def _generation_settings(path: Path) -> dict | None:
    info = path.parent / "generation.json"
    if not info.exists():
        return None
    return json.loads(info.read_text(encoding="utf-8")).get("settings")


def _load_synthetic(city: City) -> tuple[LoadResult, pd.Timestamp, str]:
    from cda_lib import synth

    ensure_city_data(city)
    raw = pd.read_parquet(synthetic_data_path(city))
    as_of = synth.as_of(city)
    seed = city.sources["service_requests"].options["seed"]
    description = f"{city.name} 311, synthetic (generated, seed {seed})"
    result = conform_service_requests(raw, ColumnMapping.identity("generated data"),
                                      source=f"{city.name}'s synthetic service requests",
                                      as_of=as_of)
    return result, as_of, description


def _load_local(city: City, source: DataSource) -> tuple[LoadResult, pd.Timestamp, str]:
    base = city.path.parent if city.path is not None else paths.cities_dir()
    file_path = Path(source.options["path"])
    if not file_path.is_absolute():
        file_path = (base / file_path).resolve()
    if not file_path.exists():
        raise LoadError(
            f"{city.name}'s city file points service requests at {file_path}, which does not "
            "exist. Check `sources.service_requests.path` in the city file."
        )
    as_of_option = source.options.get("as_of")
    as_of = pd.Timestamp(as_of_option) if as_of_option else pd.Timestamp.now().floor("s")
    mapping = source.options["mapping"]
    mapping_path = Path(mapping)
    if mapping_path.suffix in {".yaml", ".yml"} and not mapping_path.is_absolute():
        mapping = base / mapping_path
    result = load_service_requests_file(file_path, mapping, as_of=as_of)
    return result, as_of, f"{city.name} 311, {file_path.name}"
