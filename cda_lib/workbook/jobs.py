"""What a build does, as jobs: one source notebook, made for one city into one output.

A job reads a source notebook, optionally *transforms* it (for example the exercise
system's participant copy, with its solutions removed), gives it its parameters with
papermill, optionally *executes* it, and writes the notebook and its offline page into
``build/<city>/``. The teaching modules are the first **job source**
(:class:`TeachingModules`); other sources plug in beside it in
:func:`default_job_sources` (a source is any function from a city to its jobs).

Every job has an inputs hash: the source notebook, the transform, the city file, the
city's data, the cda_lib code and the job's settings. A built notebook records the hash
of the inputs it was made from, so a rerun skips every job whose inputs have not changed.

>>> job = Job("riverbend", Path("notebooks/00_welcome/01_intro.ipynb"), "00_welcome/01_intro.ipynb")
>>> job.key
'riverbend/00_welcome/01_intro.ipynb'
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from cda_lib import __version__
from cda_lib.cities.city import City
from cda_lib.cities.loader import load_city
from cda_lib.core import paths
from cda_lib.core.errors import BuildError, CdaError, UnknownCityError
from cda_lib.workbook.manifest import FAILED, JobRecord
from cda_lib.workbook.notebooks import check_parameters, find_notebooks

HASH_FORMAT = "cda-build-inputs-1"  # change when the way inputs are hashed changes
FAILED_SUFFIX = ".failed.ipynb"  # the partly run notebook of a failed run
CITY_FILE_JOB = "(city file)"  # the notebook column of a city whose file could not be read
DEFAULT_SITE_CITY = "riverbend"  # the self-paced site's city: the smallest demo city
# What a transform is: the source notebook and the city in, the notebook to build out.
TransformFunction = Callable[[nbformat.NotebookNode, City], nbformat.NotebookNode]


@dataclass(frozen=True)
class Job:
    """One notebook to make for one city.

    ``output`` is the notebook's path inside the city's build folder (its HTML page sits
    beside it). ``transform`` names a function as ``"package.module:function"`` taking the
    source notebook and the :class:`~cda_lib.cities.city.City` and returning the notebook to
    build; workers import it by that name. ``execute=False`` only gives the notebook its
    parameters (a participant copy to fill in); ``export_html=False`` writes no page.
    A change to a transform inside cda_lib rebuilds its jobs (see
    :func:`library_fingerprint`); one outside cda_lib counts by its name only.
    """

    city_id: str
    source: Path
    output: str
    transform: str | None = None
    execute: bool = True
    export_html: bool = True
    kind: str = "module"
    parameters: dict[str, Any] = field(default_factory=dict)
    language: str = "en"  # the language it is built in: the city's, unless a build overrides it

    @property
    def key(self) -> str:
        """Unique within a build: the city and the output path."""
        return f"{self.city_id}/{self.output}"

    def injected_parameters(self) -> dict[str, Any]:
        """The parameters papermill gives the notebook: the city and the language it is
        built in, then the job's own."""
        return {"city": self.city_id, "language": self.language, **self.parameters}


def output_paths(job: Job, build_root: Path) -> tuple[Path, Path, Path]:
    """Where a job's notebook, its page and (after a failure) its partly run notebook go."""
    notebook = Path(build_root) / job.city_id / job.output
    failed = notebook.with_name(notebook.name.removesuffix(".ipynb") + FAILED_SUFFIX)
    return notebook, notebook.with_suffix(".html"), failed


@dataclass(frozen=True)
class RunSettings:
    """What every job of a build shares."""

    build_root: Path
    staging_dir: Path
    kernel_name: str = "python3"
    timeout: int = 600  # the longest one cell may run, in seconds
    sockets_dir: Path | None = None  # kernels' IPC sockets (None: TCP on localhost)
    stall_seconds: int = 30  # a silent kernel is stalled after this long (see .stalls)


@dataclass
class Prepared:
    """What preparing a city found: each job's inputs hash, which jobs are out of date,
    and whether the city's data could be read."""

    city_id: str
    hashes: dict[str, str] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    data: str = "ready"  # or what went wrong reading the data
    seconds: float = 0.0


# Makes a city's jobs, in the order a participant works through them.
JobSource = Callable[[City], list[Job]]


@dataclass(frozen=True)
class TeachingModules:
    """The job source for the teaching modules: every notebook in ``root`` (default:
    ``notebooks/``), executed for the city and exported to HTML, at the same relative path."""

    root: Path | None = None

    def __call__(self, city: City) -> list[Job]:
        root = Path(self.root).resolve() if self.root is not None else paths.notebooks_dir()
        notebooks = find_notebooks(root)
        if not notebooks:
            raise BuildError(
                f"There are no teaching notebooks in {root}. "
                "Notebooks go in numbered theme folders, e.g. 00_welcome/01_intro.ipynb."
            )
        for notebook in notebooks:
            check_parameters(notebook, {"city": city.id})
        return [Job(city.id, notebook, notebook.relative_to(root).as_posix())
                for notebook in notebooks]


def default_job_sources() -> list[JobSource]:
    """What ``cda build`` builds for every city, in this order: the one place to add a
    job source: the teaching modules, then the exercise copies made from them."""
    from cda_lib.workbook.exercise_jobs import ExerciseCopies

    return [TeachingModules(), ExerciseCopies()]


def plan_jobs(cities: Sequence[City], sources: Sequence[JobSource],
              language: str | None = None) -> list[Job]:
    """Every job for ``cities``, city by city, from each source in turn, each in its
    city's language, or in ``language`` for every city (a coach's English copy).

    Raises :class:`BuildError` when two jobs of one city would write the same output.
    """
    jobs = []
    for city in cities:
        seen: dict[str, Job] = {}
        for source in sources:
            for job in source(city):
                job = dataclasses.replace(job, language=language or city.language)
                if job.key in seen:
                    raise BuildError(
                        f"Two notebooks would both be built into {job.key}: "
                        f"{seen[job.key].source} and {job.source}. Rename one of them."
                    )
                seen[job.key] = job
                jobs.append(job)
    return jobs


def read_build_cities(city_ids: Sequence[str | Path]) -> tuple[list[City], list[JobRecord]]:
    """The cities to build, and a failed record for each city file that cannot be read."""
    cities: dict[str, City] = {}
    broken: list[JobRecord] = []
    for city_id in dict.fromkeys(city_ids):
        try:
            city = load_city(city_id)
        except UnknownCityError:
            raise
        except CdaError as error:
            name = Path(city_id).stem
            broken.append(JobRecord(name, CITY_FILE_JOB, FAILED, kind="city file",
                                    error_name=type(error).__name__, error_message=str(error),
                                    city_name=name))
            continue
        other = cities.setdefault(city.id, city)
        if other.path is not None and city.path is not None \
                and other.path.resolve() != city.path.resolve():
            raise BuildError(f'Two city files both have the id "{city.id}": {other.path} and '
                             f"{city.path}. Build them one at a time, or give one another id.")
    return list(cities.values()), broken


def resolve_transform(reference: str) -> TransformFunction:
    """The function a job's ``transform`` names (``"package.module:function"``)."""
    module_name, _, function_name = reference.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError, ValueError):
        raise BuildError(
            f'The build cannot find the notebook transform "{reference}". '
            'Name it as "package.module:function", e.g. "cda_lib.exercises.build:participant".'
        ) from None
    if not callable(function):
        raise BuildError(f'The notebook transform "{reference}" is not a function.')
    return function


def static_inputs_hash(job: Job, *, kernel_name: str) -> str:
    """The hash of a job's inputs other than the city's data (see :func:`inputs_hash`)."""
    digest = hashlib.sha256(HASH_FORMAT.encode())
    settings = {
        "output": job.output, "transform": job.transform, "execute": job.execute,
        "export_html": job.export_html, "kind": job.kind, "kernel": kernel_name,
        "parameters": job.injected_parameters(),
    }
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    digest.update(_file_digest(job.source).encode())
    digest.update(library_fingerprint().encode())
    return digest.hexdigest()


def inputs_hash(static_hash: str, data_fingerprint: str) -> str:
    """A job's full inputs hash: its static part and the fingerprint of its city's data
    (which covers the city file; see :func:`cda_lib.data.data_fingerprint`)."""
    return hashlib.sha256(f"{static_hash}:{data_fingerprint}".encode()).hexdigest()


def needs_content_hash(data_fingerprint: str) -> bool:
    """True when the data fingerprint could not name every file the data is read from, so
    only a hash of the loaded tables tells whether the data changed."""
    from cda_lib.data import UNVERIFIED

    return data_fingerprint.startswith(UNVERIFIED)


def content_fingerprint(data_fingerprint: str, data: Any) -> str:
    """``data_fingerprint`` completed with a hash of the loaded service requests and their
    account (for sources whose files are not known, see :func:`needs_content_hash`)."""
    import pandas as pd

    digest = hashlib.sha256(data_fingerprint.encode())
    digest.update(pd.util.hash_pandas_object(data.requests, index=False).to_numpy().tobytes())
    digest.update("\n".join(data.account.summary_lines()).encode())
    return digest.hexdigest()


@functools.cache
def library_fingerprint() -> str:
    """cda_lib's version and a hash of the code that shapes a built notebook: everything
    notebooks import, and the page export. Editing a chart, a check or the page template
    rebuilds what it made, even without a version change; editing the build's scheduling
    or the command line does not."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if path.is_file() and _shapes_outputs(relative):
            digest.update(relative.as_posix().encode())
            digest.update(path.read_bytes())
    return f"{__version__}:{digest.hexdigest()[:16]}"


def _shapes_outputs(relative: Path) -> bool:
    if "__pycache__" in relative.parts or relative.suffix == ".pyc":
        return False
    if relative.parts[0] == "workbook":
        return relative.parts[1:2] == ("html.py",)
    return relative.as_posix() != "cli.py"


def _file_digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
