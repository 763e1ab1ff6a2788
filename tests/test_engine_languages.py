"""The exercise engine and the pages in Spanish and Portuguese (issue 14).

An exercise's own texts come from its exercise file's catalog; here a tiny fixture catalog
stands in for it, so the test does not depend on how far the theme's translation has got.
The engine's sentences ("Not yet.", "Hint 1 of 3", "Stuck?") and the pages' words come
from the real ``exercises`` and ``pages`` catalogs. Every expected sentence below is the
catalog's translation filled in by hand.
"""

from __future__ import annotations

import gettext
import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from cda_lib import cli
from cda_lib.core.errors import BuildError
from cda_lib.exercises.definitions import read_exercise_set
from cda_lib.exercises.exercise import fill, judge, prepare
from cda_lib.exercises.feedback import Hint, HintTier
from cda_lib.exercises.kinds import AnswerFormError, Number
from cda_lib.text import translation
from cda_lib.text.translation import use_language
from cda_lib.workbook import lab
from cda_lib.workbook.dashboard import write_cohort_page
from cda_lib.workbook.selfpaced import write_site
from cda_lib.workbook.site import write_index

SEASONS = '''
functions: cda_lib.themes.welcome.exercises
set: "9"
title: "Exercises 9: a sample"
notebook: 09_sample/01_sample.ipynb
exercises:
- id: "9.1"
  title: Busiest season
  question: In which season does {city} get the most requests?
  kind: choice
  options: {A: Winter, B: Summer}
  answer: B
  right: "Yes: {city} gets the most requests in summer."
  why: Crews can be planned ahead.
  next_step: Compare the months of each season.
  hints: [Look at the months., Add up each season., Summer is June to August.]
'''
# What the exercise file's catalog would hold (a translator's work, in miniature).
FIXTURE_CATALOG = {
    "es": {"Busiest season": "La estación con más solicitudes", "Winter": "Invierno",
           "Summer": "Verano",
           "Yes: {city} gets the most requests in summer.":
               "Sí: {city} recibe más solicitudes en verano.",
           "Crews can be planned ahead.": "Las cuadrillas se pueden planear con tiempo.",
           "Compare the months of each season.": "Compare los meses de cada estación.",
           "Look at the months.": "Mire los meses."},
    "pt": {"Busiest season": "A estação com mais solicitações", "Winter": "Inverno",
           "Summer": "Verão",
           "Yes: {city} gets the most requests in summer.":
               "Sim: {city} recebe mais solicitações no verão.",
           "Crews can be planned ahead.": "As equipes podem ser planejadas com antecedência.",
           "Compare the months of each season.": "Compare os meses de cada estação.",
           "Look at the months.": "Olhe os meses."},
}


class _FixtureCatalog(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str]):
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or super().gettext(message)


@pytest.fixture
def exercise_catalog(monkeypatch):
    """The real catalogs, with the fixture exercise file's translations in front."""
    real = translation.translations

    def translations(language: str):
        if language not in FIXTURE_CATALOG:
            return real(language)
        fixture = _FixtureCatalog(FIXTURE_CATALOG[language])
        fixture.add_fallback(real(language))
        return fixture

    monkeypatch.setattr(translation, "translations", translations)


@pytest.fixture
def seasons():
    exercise = read_exercise_set(SEASONS, "seasons.yaml").exercises[0]
    data = SimpleNamespace(city=SimpleNamespace(name="Villa Serena"))
    return exercise, prepare(exercise, data)


HINT_CALL = 'Ask for a hint: exercises.hint("9.1").'


def test_english_stays_the_source(seasons):
    exercise, prepared = seasons
    right = judge(exercise, prepared, "B")
    assert right.heading == "Right."
    assert right.message == "Yes: Villa Serena gets the most requests in summer."
    wrong = judge(exercise, prepared, "A", hint_call=HINT_CALL)
    assert str(wrong) == ('Exercise 9.1, Busiest season: Not yet. A is not the best answer. '
                          'Next: Compare the months of each season. Stuck? Ask for a hint: '
                          'exercises.hint("9.1").')


@pytest.mark.parametrize("language, expected, next_label", [
    ("es", 'Ejercicio 9.1, La estación con más solicitudes: Todavía no. A no es la mejor '
           'respuesta. Siguiente paso: Compare los meses de cada estación. ¿Se quedó sin '
           'ideas? Pida una pista: exercises.hint("9.1").', "Siguiente paso:"),
    ("pt", 'Exercício 9.1, A estação com mais solicitações: Ainda não. A não é a melhor '
           'resposta. Próximo passo: Compare os meses de cada estação. Travou? Peça uma '
           'dica: exercises.hint("9.1").', "Próximo passo:"),
])
def test_a_wrong_choice_gets_its_feedback_in_the_language(exercise_catalog, seasons, language,
                                                          expected, next_label):
    exercise, prepared = seasons
    with use_language(language):
        # the hint call is translated where the session makes it, at the moment it is shown
        hint_call = translation.gettext('Ask for a hint: exercises.hint("{id}").', id="9.1")
        feedback = judge(exercise, prepared, "A", hint_call=hint_call)
        assert str(feedback) == expected
        assert f"<strong>{next_label}</strong>" in feedback._repr_html_()


@pytest.mark.parametrize("language, heading, message, why", [
    ("es", "Correcto.", "Sí: Villa Serena recibe más solicitudes en verano.",
     "Las cuadrillas se pueden planear con tiempo."),
    ("pt", "Correto.", "Sim: Villa Serena recebe mais solicitações no verão.",
     "As equipes podem ser planejadas com antecedência."),
])
def test_a_right_choice_in_the_language_words_fills_in_the_city(exercise_catalog, seasons,
                                                                 language, heading, message, why):
    exercise, prepared = seasons
    with use_language(language):
        words = FIXTURE_CATALOG[language]["Summer"].lower()  # "verano": the option's own words
        feedback = judge(exercise, prepared, words)
        assert (feedback.heading, feedback.message, feedback.why) == (heading, message, why)


def test_an_untouched_choice_says_not_started_in_the_language(exercise_catalog, seasons):
    exercise, prepared = seasons
    with use_language("pt"):  # the status word is translated when shown, as the message is
        feedback = judge(exercise, prepared, ...)
        assert (feedback.heading, feedback.message) == (
            "Ainda não iniciado.", "Escolha uma resposta; o retorno aparece aqui.")


@pytest.mark.parametrize("language, first, closing", [
    ("es", "Pista 1 de 3 (un primer empujón): Mire los meses.",
     "Vuelva a pedir una pista para ver la siguiente."),
    ("pt", "Dica 1 de 3 (um empurrãozinho): Olhe os meses.",
     "Peça uma dica de novo para ver a próxima."),
])
def test_a_hint_in_the_language(exercise_catalog, seasons, language, first, closing):
    exercise, prepared = seasons
    with use_language(language):
        tier = exercise.hints[0]
        hint = Hint(exercise.id, translation.gettext(exercise.title),
                    (HintTier(fill(tier.text, prepared.facts)),), len(exercise.hints))
        lines = str(hint).splitlines()
    assert lines[1:] == [first, closing]


def test_an_unreadable_number_is_explained_in_spanish_with_its_digits():
    with use_language("es"), pytest.raises(AnswerFormError) as refused:
        Number().read("12,345")
    assert str(refused.value) == ('Su respuesta es un texto entre comillas ("12,345"). Escriba '
                                  'el número sin comillas ni separadores, por ejemplo 12345.')
    with use_language("pt"):
        # 1234.5 from 1,000 up is written to one decimal: 1.234,5 in Brazilian Portuguese
        said = Number().diagnose(1234.5, 1000.0).message
    assert said == "1.234,5 é maior que o número dos dados da sua cidade."


# --- pages -------------------------------------------------------------------------------


def _built(build_root: Path, city: str, heading: str) -> None:
    path = build_root / city / "00_welcome" / "01_intro.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = new_notebook(cells=[new_markdown_cell(f"# {heading}"),
                             new_markdown_cell("42", metadata={"tags": ["solution"]})])
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, path)
    path.with_suffix(".html").write_text("<p>page</p>", encoding="utf-8")


def test_the_index_and_cohort_page_are_english_unless_a_language_is_given(tmp_path):
    build_root = tmp_path / "build"
    _built(build_root, "villa-serena", "Cómo usar el cuaderno")
    index = write_index(build_root).read_text(encoding="utf-8")
    cohort = write_cohort_page(build_root).read_text(encoding="utf-8")
    assert '<html lang="en">' in index and "<dt>Country</dt>" in index
    assert '<html lang="en">' in cohort and "The cohort side by side" in cohort

    index = write_index(build_root, "es").read_text(encoding="utf-8")
    cohort = write_cohort_page(build_root, "es").read_text(encoding="utf-8")
    assert '<html lang="es">' in index
    assert "<dt>País</dt>" in index and "<dt>Población</dt><dd>768.300</dd>" in index
    assert '<html lang="es">' in cohort
    assert "<h1>La cohorte lado a lado</h1>" in cohort
    assert "1 ciudad preparada en esta computadora" in cohort  # one city: the singular


def test_a_page_rendered_inside_use_language_says_its_language(tmp_path):
    build_root = tmp_path / "build"
    _built(build_root, "serra-clara", "Como usar o caderno")
    with use_language("pt"):
        index = write_index(build_root, translation.current_language()).read_text("utf-8")
    assert '<html lang="pt">' in index and "Dados sintéticos" in index


def test_the_self_paced_site_is_in_its_citys_language(tmp_path):
    build_root = tmp_path / "build"
    _built(build_root, "villa-serena", "Cómo usar el cuaderno")
    contents = write_site(build_root, "villa-serena").read_text(encoding="utf-8")
    page = (build_root / "site" / "00_welcome" / "01_intro.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in contents and "Empiece por Cómo usar el cuaderno →" in contents
    assert '<html lang="es">' in page
    assert '<summary>Mostrar la solución</summary>' in page and "Show solution" not in page
    assert ">Contenido</a>" in page


# --- cda lab CITY ---------------------------------------------------------------------------


@pytest.mark.parametrize("language, locale", [("es", "es_ES"), ("pt", "pt_BR"), ("en", "en")])
def test_the_lab_launch_points_lab_at_a_settings_folder_with_the_locale(tmp_path, language,
                                                                        locale):
    (tmp_path / "villa-serena").mkdir()
    launch = lab.lab_launch("villa-serena", language, tmp_path, allow_root=False)
    settings_dir = tmp_path / ".lab" / language / "user-settings"
    assert launch.arguments[1:] == ("-m", "jupyterlab", str(tmp_path / "villa-serena"),
                                    f"--LabApp.user_settings_dir={settings_dir}")
    assert launch.settings_file == (settings_dir / "@jupyterlab" / "translation-extension"
                                    / "plugin.jupyterlab-settings")
    assert json.loads(launch.settings_file.read_text(encoding="utf-8")) == {"locale": locale}
    # no "Would you like to get notified about official Jupyter news?" for participants
    news = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    assert json.loads(news.read_text(encoding="utf-8")) == {"fetchNews": "false",
                                                            "checkForUpdates": False}


def test_the_lab_launch_refuses_a_city_not_built_yet(tmp_path):
    with pytest.raises(BuildError, match="cda build riverbend"):
        lab.lab_launch("riverbend", "en", tmp_path)


def test_cda_lab_opens_a_spanish_city_in_spanish(tmp_path, monkeypatch, capsys):
    (tmp_path / "villa-serena").mkdir()
    started = []
    monkeypatch.setattr("subprocess.run", lambda arguments, check: started.append(arguments)
                        or SimpleNamespace(returncode=0))
    assert cli.main(["lab", "villa-serena", "--out", str(tmp_path)]) == 0
    (arguments,) = started
    assert f"--LabApp.user_settings_dir={tmp_path / '.lab' / 'es' / 'user-settings'}" in arguments
    assert "Abriendo el cuaderno de trabajo de Villa Serena en JupyterLab, en Español" in \
        capsys.readouterr().out


def test_the_fixture_city_files_are_the_languages_the_tests_assume():
    from cda_lib.cities.loader import load_city

    cities = {name: load_city(name) for name in ("villa-serena", "serra-clara")}
    assert {name: city.language for name, city in cities.items()} == {
        "villa-serena": "es", "serra-clara": "pt"}
    assert cities["villa-serena"].population == 768_300  # the index's "768.300" below


# --- the exercise copies ---------------------------------------------------------------------


def test_a_spanish_citys_participant_copy_has_its_placeholders_in_spanish():
    from cda_lib.cities.loader import load_city
    from cda_lib.exercises.authoring import exercises_dir, find_exercise_notebooks
    from cda_lib.exercises.kinds import PLACEHOLDER, Reflection
    from cda_lib.workbook.exercise_jobs import coach_transform, participant_transform

    source = nbformat.read(find_exercise_notebooks(exercises_dir())[0], as_version=4)
    english = participant_transform(source, load_city("riverbend"))
    spanish = participant_transform(source, load_city("villa-serena"))
    placeholders = [i for i, cell in enumerate(english.cells) if cell.source == PLACEHOLDER]
    assert placeholders  # the welcome exercises have written answers to fill in
    assert {spanish.cells[i].source for i in placeholders} == {"Escriba aquí su respuesta."}
    with use_language("es"):  # a reflection left at the Spanish placeholder is not started
        assert Reflection().is_untouched("Escriba aquí su respuesta.")
    coach = coach_transform(source, load_city("serra-clara"))
    assert coach.cells[1].source.startswith("**Cópia do coach.**")
