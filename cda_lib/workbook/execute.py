"""Run every teaching notebook for one city with papermill, and export each to HTML.

``build_city("riverbend")`` writes ``build/riverbend/<theme>/<NN_name>.ipynb`` (the
executed notebook) and ``.html`` (its offline page) for every teaching notebook. It is a
cohort build (:mod:`cda_lib.workbook.cohort`) of one city: each notebook runs in a fresh
kernel, as a participant would open it; outputs are moved into place only on success, so
a failed run never destroys an earlier good build, and the partly run notebook is kept
beside it as ``<NN_name>.failed.ipynb``; a notebook whose inputs have not changed since
it was built is not run again (``force=True`` runs it anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cda_lib.cities import loader as cities
from cda_lib.cities.city import City
from cda_lib.core.errors import BuildError
from cda_lib.workbook.cohort import CohortOptions, build_cohort
from cda_lib.workbook.jobs import FAILED_SUFFIX, TeachingModules
from cda_lib.workbook.manifest import BUILT, UP_TO_DATE, JobRecord
from cda_lib.workbook.notebooks import display_name

__all__ = ["FAILED_SUFFIX", "CityBuild", "NotebookResult", "build_city"]


@dataclass(frozen=True)
class NotebookResult:
    """How one notebook's run went, and where its outputs are."""

    notebook: Path
    output_path: Path
    html_path: Path
    duration_seconds: float
    ok: bool
    error: str = ""
    failed_path: Path | None = None
    skipped: bool = False  # its inputs had not changed: the earlier outputs were kept

    @property
    def name(self) -> str:
        """Theme folder and file name, e.g. ``00_welcome/01_intro.ipynb``."""
        return display_name(self.notebook)


@dataclass
class CityBuild:
    """The outcome of building every notebook for one city."""

    city: City
    output_dir: Path
    results: list[NotebookResult] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        """True when every notebook ran and was exported."""
        return not self.interrupted and all(result.ok for result in self.results)

    @property
    def failures(self) -> list[NotebookResult]:
        return [result for result in self.results if not result.ok]

    @property
    def duration_seconds(self) -> float:
        return sum(result.duration_seconds for result in self.results)

    def raise_for_failures(self) -> None:
        """Raise :class:`BuildError` naming every failed notebook, if any failed."""
        if self.ok:
            return
        details = " ".join(result.error for result in self.failures)
        raise BuildError(
            f"{len(self.failures)} of {len(self.results)} notebooks failed for "
            f"{self.city.name}. {details}"
        )


def build_city(
    city_id: str,
    *,
    notebooks_root: Path | None = None,
    build_root: Path | None = None,
    kernel_name: str = "python3",
    timeout: int = 600,
    prepare: Callable[[City], object] | None = None,
    force: bool = False,
) -> CityBuild:
    """Execute every teaching notebook for one city and export each to offline HTML.

    Steps: load the city file (an unknown city raises ``UnknownCityError``);
    check that every notebook declares the parameters to inject (``{"city": id}``),
    before running any; call ``prepare(city)`` if given (for example to generate
    the city's data once); then run each notebook in a fresh kernel into
    ``<build_root>/<city>/<theme>/<name>.ipynb`` with its ``.html`` beside it.
    A notebook that fails becomes a failed result; the others still run.
    ``timeout`` is the longest one cell may run, in seconds.
    """
    city = cities.load_city(city_id)
    source = TeachingModules(notebooks_root)
    source(city)  # no notebooks, or a parameter mistake: raise before anything runs
    options = CohortOptions(build_root=build_root, workers=1, timeout=timeout,
                            kernel_name=kernel_name, force=force, sources=[source],
                            progress=False, prepare=prepare, command=f"build_city({city_id!r})")
    result = build_cohort([city.id], options)
    build = CityBuild(city=city, output_dir=result.build_root / city.id,
                      interrupted=result.interrupted)
    build.results = [_result(record, result.build_root) for record in result.records]
    return build


def _result(record: JobRecord, build_root: Path) -> NotebookResult:
    output = build_root / record.city / record.notebook
    failed = build_root / record.failed_notebook if record.failed_notebook else None
    return NotebookResult(
        notebook=Path(record.notebook),
        output_path=output,
        html_path=output.with_suffix(".html"),
        duration_seconds=record.duration_seconds,
        ok=record.status in (BUILT, UP_TO_DATE),
        error="" if record.ok else record.message(build_root),
        failed_path=failed,
        skipped=record.status == UP_TO_DATE,
    )
