"""The ``cda`` command: a coach's checklist for preparing workbooks. Parsing and messages only."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cda_lib.core.errors import CdaError
from cda_lib.text.translation import LANGUAGES, gettext as _, ngettext

DESCRIPTION = "Prepare and check City Data Alliance workbooks for one city or a whole cohort."
CHECKLIST = """\
A coach's checklist, in order:
  1. cda cities                       see every city file and its cohort
  2. cda check-city riverbend         check a city file you wrote or edited (a name or a path)
     cda mapping-reference            every field, column and value a column mapping can use
  3. cda generate --cohort demo       make the synthetic data for cities without real data yet
  4. cda check-data riverbend         read a city's data, its account and readiness report
  5. cda build riverbend              run every notebook for a city into build/riverbend/
     cda build --cohort demo          ... or for a whole cohort (its label), or --all
     cda build my/city.yaml --out DIR  ... a city file kept anywhere, built into DIR
    cda build --cohort demo --modules 1.2,3.3  ... only those modules' pages and exercises
  6. make lab                         open the built workbooks in JupyterLab
     cda lab riverbend                ... or one city's, with JupyterLab in the city's language
  7. cda progress build/riverbend     after a session: who tried, finished, used hints

Every command explains what went wrong and what to try. City files live in
datasets/cities/ (or anywhere: give the path); built notebooks and pages go to build/
(open build/index.html), or to --out DIR or CDA_BUILD_DIR; CSV copies and portal
downloads go to datasets/cache/, or to CDA_CACHE_DIR.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cda`` command; return the exit code (0 ok, 1 something failed, 2 bad input)."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    if not hasattr(arguments, "run"):
        parser.print_help()
        return 0
    try:
        return arguments.run(arguments)
    except CdaError as error:
        print(f"cda: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and cut short: not an error
        return 0
    except KeyboardInterrupt:
        print("cda: " + _("stopped. Finished outputs are in place; run the command again to go "
                          "on."), file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cda", description=DESCRIPTION, epilog=CHECKLIST,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    cities = commands.add_parser(
        "cities", help="list every city file with its cohort, and every broken one")
    cities.set_defaults(run=_run_cities)

    check_city = commands.add_parser("check-city", help="check a city file for mistakes")
    check_city.add_argument("city", help="a city id (riverbend) or the path of a city file")
    check_city.set_defaults(run=_run_check_city)

    reference = commands.add_parser(
        "mapping-reference", help="print the mapping reference (datasets/mappings/README.md)",
        description="Print the column mapping reference: every field a mapping can hold, the "
                    "canonical columns, the allowed status and channel values, the date "
                    "options and a worked example. It is written from the workbook's code.")
    reference.add_argument("--write", action="store_true",
                           help="write it to datasets/mappings/README.md instead of printing it")
    reference.set_defaults(run=_run_mapping_reference)

    generate = commands.add_parser("generate", help="make synthetic data for cities")
    _add_city_selection(generate)
    generate.set_defaults(run=_run_generate)

    check_data = commands.add_parser(
        "check-data", help="load a city's data; show its account and write its readiness report")
    check_data.add_argument("city", help="a city id (riverbend) or the path of a city file")
    check_data.add_argument("--offline", action="store_true",
                            help="use only portal data already downloaded to the cache (no "
                                 "network); CDA_OFFLINE=1 does the same for notebooks")
    check_data.add_argument("--out", metavar="DIR",
                            help="the build folder to write the readiness report into, as "
                                 "DIR/<city>/readiness.html (default: CDA_BUILD_DIR if set, "
                                 "else build/ in the workbook)")
    check_data.set_defaults(run=_run_check_data)

    progress = commands.add_parser(
        "progress", help="collect participants' exercise progress into a table")
    progress.add_argument("folders", nargs="+", metavar="FOLDER",
                          help="city build folders, workspaces or folders of saved notebooks")
    progress.add_argument("--out", default=None,
                          help="where to write progress.csv and progress.html "
                               "(default: build/progress)")
    progress.set_defaults(run=_run_progress)

    build = commands.add_parser(
        "build", help="run every notebook for cities into build/ (or --out DIR)",
        description="Run every notebook for the cities, in parallel, into build/; then write "
                    "build/index.html, build/cohort.html and the self-paced site build/site/. "
                    "Notebooks whose inputs have not changed since the last build are skipped; "
                    "stopping a build (Ctrl-C) and running it again carries on where it stopped. "
                    "A city file that cannot be read fails that city alone. Where things go: "
                    "--out DIR (or CDA_BUILD_DIR) for the build; CDA_CACHE_DIR for the Parquet "
                    "copies of CSV exports and portal downloads (default datasets/cache/).")
    _add_city_selection(build)
    build.add_argument("--out", default=None, metavar="DIR",
                       help="the folder to build into (default: CDA_BUILD_DIR if set, else "
                            "build/ in the workbook)")
    build.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                       help="notebooks to run at the same time (default: one more than the "
                            "processor cores)")
    build.add_argument("--force", action="store_true",
                       help="run every notebook again, even those whose inputs have not changed")
    build.add_argument("--timeout", type=_positive_int, default=600, metavar="SECONDS",
                       help="longest time one cell may run, in seconds (default 600)")
    build.add_argument("--stall-seconds", type=_positive_int, default=30, metavar="SECONDS",
                       help="a kernel that sends nothing for this long, while no cell is busy "
                            "working, has stalled: its notebook runs once more in a fresh "
                            "kernel (default 30)")
    build.add_argument("--site-city", default=None, metavar="CITY",
                       help="the city whose modules make the self-paced site build/site/ "
                            "(default riverbend), written when that city is built")
    build.add_argument("--language", default=None, choices=sorted(LANGUAGES),
                       help="build every page in this language (default: each city's own, "
                            "from its city file), e.g. an English copy for an English-speaking "
                            "coach")
    build.add_argument("--modules", type=_module_list, default=(), metavar="IDS",
                       help="build only these modules, their pages and exercise copies, e.g. "
                            "--modules 1.2,3.3 (default: every module)")
    build.add_argument("--plain-kernels", action="store_true",
                       help="start every kernel the standard way (slower; to compare, or if "
                            "the fast start misbehaves on this computer)")
    build.set_defaults(run=_run_build)

    lab = commands.add_parser(
        "lab", help="open a city's built workbook in JupyterLab, in the city's language",
        description="Start JupyterLab on build/CITY/, with JupyterLab's menus in the city's "
                    "language (from its city file, or --language), as the workbook's pages "
                    "name them. Your own JupyterLab settings are left as they are.")
    lab.add_argument("city", help="a city id (riverbend) or the path of a city file")
    lab.add_argument("--out", default=None, metavar="DIR",
                     help="the build folder (default: CDA_BUILD_DIR if set, else build/)")
    lab.add_argument("--language", default=None, choices=sorted(LANGUAGES),
                     help="JupyterLab's language (default: the city's own)")
    lab.set_defaults(run=_run_lab)

    translations = commands.add_parser(
        "translations", help="show how much of the workbook each language translates",
        description="Print, for each language and part of the workbook, how many sentences "
                    "its catalog translates, and how many are stale (their English changed). "
                    "With --update, first extract every sentence from the English source and "
                    "merge it into the catalogs in cda_lib/locale/.")
    translations.add_argument("--update", action="store_true",
                              help="extract the English source and update the catalogs first")
    translations.add_argument("--modules", action="store_true",
                              help="also show the coverage and readability of each file (a "
                                   "notebook is one module's page)")
    translations.add_argument("--problems", action="store_true",
                              help="list each missing, stale or mismatched sentence")
    translations.set_defaults(run=_run_translations)
    return parser


def _add_city_selection(command: argparse.ArgumentParser) -> None:
    command.add_argument("cities", nargs="*", metavar="CITY",
                         help="city ids (riverbend) or paths of city files (my/city.yaml)")
    command.add_argument("--cohort", help="every city of a cohort: the label its city files "
                                          "give (demo, alliance, 2027-spring, ...)")
    command.add_argument("--all", action="store_true", help="every city file")


def _selected_city_ids(arguments: argparse.Namespace) -> list[str]:
    """The cities chosen, as ids or paths; a broken city file is kept (it fails alone)."""
    from cda_lib.cities.loader import list_city_ids, load_city, read_city_files
    from cda_lib.core.errors import UnknownCityError

    chosen = sum([bool(arguments.cities), bool(arguments.cohort), arguments.all])
    if chosen != 1:
        raise _UsageError("Name the cities (cda build riverbend), or give --cohort demo, "
                          "or --all: exactly one of the three.")
    if arguments.all or arguments.cohort:
        cities, broken = read_city_files(cohort=arguments.cohort)
        if arguments.cohort and not cities and not any(b.cohort == arguments.cohort
                                                       for b in broken):
            list_city_ids(cohort=arguments.cohort)  # no city names the cohort: say which do
        return sorted([str(city.path) for city in cities] + [str(b.path) for b in broken],
                      key=lambda path: Path(path).stem)
    for city_id in arguments.cities:
        try:
            load_city(city_id)  # an unknown city stops here, before any work starts
        except UnknownCityError:
            raise
        except CdaError:
            pass  # a broken file: that city fails alone, with its message
    return list(arguments.cities)


class _UsageError(CdaError, ValueError):
    """The command line asks for something contradictory."""


def _run_cities(arguments: argparse.Namespace) -> int:
    from cda_lib.cities.loader import read_city_files

    cities, broken = read_city_files()
    cohort_width = max([10] + [len(city.cohort) + 2 for city in cities])
    print(f"{'city':<16}{'cohort':<{cohort_width}}{'language':<11}{'population':>12}  data")
    for city in cities:
        data = ", ".join(f"{source.kind}" for source in city.sources.values())
        print(f"{city.id:<16}{city.cohort:<{cohort_width}}{city.language_name:<11}"
              f"{city.population:>12,}  {data}{' (fictional city)' if city.fictional else ''}")
    for problem in broken:
        print(f"BROKEN  {problem.path.name}: {problem.message}")
    if broken:
        print(f"cda: {len(broken)} city {'file' if len(broken) == 1 else 'files'} could not "
              "be read (above); `cda check-city <file>` checks one again.", file=sys.stderr)
    return 1 if broken else 0


def _run_check_city(arguments: argparse.Namespace) -> int:
    from cda_lib.cities.loader import load_city

    city = load_city(arguments.city)
    print(_("{name} ({id}): the city file is valid. {districts} districts, {population:,} "
            "residents, {standards} service standards.", name=city.name, id=city.id,
            districts=len(city.districts), population=city.population,
            standards=len(city.service_standards)))
    return 0


def _run_mapping_reference(arguments: argparse.Namespace) -> int:
    from cda_lib.sources.mapping_reference import mapping_reference, write_mapping_reference

    if arguments.write:
        print(f"Wrote {write_mapping_reference()}")
    else:
        print(mapping_reference(), end="")
    return 0


def _run_generate(arguments: argparse.Namespace) -> int:
    from cda_lib.cities.loader import load_city
    from cda_lib.data import ensure_city_data

    failed = 0
    for city_id in _selected_city_ids(arguments):
        try:
            city = load_city(city_id)
        except CdaError as error:
            print(f"cda: {Path(city_id).name}: {error}", file=sys.stderr)
            failed += 1
            continue
        if not city.uses_synthetic_data:
            print(_("{city}: uses real data; nothing to generate.", city=city.name))
            continue
        ensure_city_data(city)
        print(_("{city}: synthetic data ready.", city=city.name))
    return 1 if failed else 0


def _run_progress(arguments: argparse.Namespace) -> int:
    from cda_lib.core import paths
    from cda_lib.exercises.progress import write_progress_report

    out_dir = arguments.out or paths.build_dir() / "progress"
    report = write_progress_report(arguments.folders, out_dir)
    for line in report.summary_lines():
        print(line)
    return 0


def _run_check_data(arguments: argparse.Namespace) -> int:
    from cda_lib.data import load_city_data

    if arguments.offline:
        print(_("Working offline: portal data comes from the cache only."))
    data = load_city_data(arguments.city, offline=True if arguments.offline else None)
    print(data.notice().text())
    print(data.account.summary_lines()[0])
    print(_("Quality account:"))  # its last lines are the account's notes (e.g. a late as_of)
    for line in data.quality.lines():
        print(f"  {line}")
    from cda_lib.core import paths
    from cda_lib.workbook.readiness import data_readiness, write_readiness_page

    print(_("Readiness: {summary}", summary=data_readiness(data).summary()))
    folder = Path(arguments.out) if arguments.out else paths.build_dir()
    print(_("Readiness report: {path}", path=str(write_readiness_page(data, folder))))
    return 0


def _run_build(arguments: argparse.Namespace) -> int:
    from cda_lib.workbook.process_start import skip_iri_grammar

    skip_iri_grammar()
    city_ids = _selected_city_ids(arguments)
    with _city_files_named(city_ids):
        return _build(arguments, city_ids)


def _build(arguments: argparse.Namespace, city_ids: list[str]) -> int:
    from cda_lib.workbook.cohort import CohortOptions, build_cohort
    from cda_lib.workbook.manifest import summary_table

    options = CohortOptions(build_root=Path(arguments.out) if arguments.out else None,
                            workers=arguments.jobs, timeout=arguments.timeout,
                            stall_seconds=arguments.stall_seconds,
                            force=arguments.force, fork_kernels=not arguments.plain_kernels,
                            site_city=_site_city(arguments), command=_build_command(arguments),
                            language=arguments.language, modules=arguments.modules)
    print(ngettext("Building {count} city: {cities}", "Building {count} cities: {cities}",
                   len(city_ids), cities=", ".join(Path(city).stem for city in city_ids)),
          flush=True)
    result = build_cohort(city_ids, options)
    print(summary_table(result.records, result.city_names))
    for failure in result.failures:
        if failure.failed_notebook:
            print("  " + _("see {path}", path=str(result.build_root / failure.failed_notebook)))
    print(_("Manifest: {path} (and manifest.csv)", path=str(result.manifest_path)))
    if result.interrupted:
        print("cda: " + _("stopped. Finished notebooks are in place; run the same command again "
                          "to build the rest."), file=sys.stderr)
        return result.exit_code
    from cda_lib.workbook.dashboard import write_cohort_page
    from cda_lib.workbook.site import write_index

    _write_glossaries(result.build_root, city_ids, arguments.language)
    # Pages about every city are the coach's: English, or the build's --language.
    print(_("Cohort page: {path}", path=str(write_cohort_page(result.build_root,
                                                              arguments.language))))
    print(_("Index: {path}", path=str(write_index(result.build_root, arguments.language))))
    if result.site_index is not None:
        print(_("Self-paced site: {path}", path=str(result.site_index)))
        _write_language_sites(result.build_root, options.site_city)
    elif result.site_error:
        print("cda: " + _("the self-paced site could not be written: {problem}",
                          problem=result.site_error), file=sys.stderr)
    return result.exit_code


def _write_language_sites(build_root: Path, site_city: str | None) -> None:
    """The self-paced site in each other language built (site/es/, site/pt/), every page
    with a switch to the same page in the others."""
    from cda_lib.workbook.selfpaced import write_language_sites

    if site_city is None:
        return
    try:
        indexes = write_language_sites(build_root, site_city)
    except CdaError as error:
        print("cda: " + _("the self-paced site could not be written: {problem}",
                          problem=str(error)), file=sys.stderr)
        return
    for index in indexes[1:]:
        print(_("Self-paced site: {path}", path=str(index)))


def _write_glossaries(build_root: Path, city_ids: Sequence[str], language: str | None) -> None:
    """Each built city's glossary page, in the language its pages were built in."""
    from cda_lib.cities.loader import load_city
    from cda_lib.workbook.glossary import write_glossary

    for city_id in city_ids:
        try:
            city = load_city(city_id)
        except CdaError:
            continue  # a broken city file: its failure is already in the summary
        if (build_root / city.id).is_dir():
            write_glossary(build_root / city.id, language or city.language)


@contextlib.contextmanager
def _city_files_named(city_ids: Sequence[str]):
    """Cities given by the path of their file are found by id while the command runs (the
    cohort page and the index read the city files again after the build)."""
    from cda_lib.core import paths

    given = [str(Path(city).resolve()) for city in city_ids
             if Path(city).suffix in {".yaml", ".yml"}]
    current = os.environ.get(paths.CITY_FILES_VARIABLE)
    if given:
        os.environ[paths.CITY_FILES_VARIABLE] = os.pathsep.join(given + ([current] if current
                                                                         else []))
    try:
        yield
    finally:
        if current is None:
            os.environ.pop(paths.CITY_FILES_VARIABLE, None)
        else:
            os.environ[paths.CITY_FILES_VARIABLE] = current


def _site_city(arguments: argparse.Namespace) -> str | None:
    """The city of the self-paced site: as given (checked), else Riverbend when it exists."""
    from cda_lib.cities.loader import city_file_path, load_city
    from cda_lib.workbook.jobs import DEFAULT_SITE_CITY

    if arguments.site_city is not None:
        return load_city(arguments.site_city).id  # a misspelt city stops here, with a hint
    return DEFAULT_SITE_CITY if city_file_path(DEFAULT_SITE_CITY).exists() else None


def _build_command(arguments: argparse.Namespace) -> str:
    words = ["cda", "build", *arguments.cities]
    if arguments.cohort:
        words += ["--cohort", arguments.cohort]
    if arguments.all:
        words.append("--all")
    if arguments.jobs:
        words += ["--jobs", str(arguments.jobs)]
    if arguments.force:
        words.append("--force")
    if arguments.out:
        words += ["--out", arguments.out]
    if arguments.language:
        words += ["--language", arguments.language]
    return " ".join(words)


def _run_lab(arguments: argparse.Namespace) -> int:
    import subprocess

    from cda_lib.cities.loader import load_city
    from cda_lib.text.translation import use_language
    from cda_lib.workbook.lab import lab_launch

    city = load_city(arguments.city)
    language = arguments.language or city.language
    launch = lab_launch(city.id, language, Path(arguments.out) if arguments.out else None)
    with use_language(language):
        print(_("Opening {city}'s workbook in JupyterLab, in {language}: {folder}",
                city=city.name, language=LANGUAGES[launch.language], folder=str(launch.folder)))
        print(_("Stop JupyterLab with Ctrl-C in this window."), flush=True)
    with _city_files_named([arguments.city]):
        try:
            return subprocess.run(launch.arguments, check=False).returncode
        except KeyboardInterrupt:
            return 0


def _run_translations(arguments: argparse.Namespace) -> int:
    from cda_lib.workbook import catalogs

    if arguments.update:
        for path in catalogs.update():
            print(f"updated {path.relative_to(catalogs.PACKAGE.parent)}")
    print(catalogs.coverage_table())
    if arguments.modules:
        print()
        print(catalogs.module_table())
    if arguments.problems:
        for language in catalogs.SHIPPED_LANGUAGES:
            for part in catalogs.parts():
                for problem in catalogs.problems(language, part):
                    print(f"{language} {part.name}: {problem}")
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return value


def _module_list(text: str) -> tuple[str, ...]:
    """``"1.2,3.3"`` as the modules' ids, each checked against the themes' registries."""
    from cda_lib.themes import find_module

    try:
        return tuple(find_module(part).id for part in text.split(",") if part.strip())
    except CdaError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


if __name__ == "__main__":
    sys.exit(main())
