"""Tests for cda_lib.core.errors: the one exception family and its message helpers."""

from __future__ import annotations

import inspect

import pytest

from cda_lib.core import errors
from cda_lib.core.errors import CdaError, did_you_mean, list_choices

ERROR_CLASSES = [
    cls for _, cls in inspect.getmembers(errors, inspect.isclass)
    if cls.__module__ == errors.__name__ and cls is not CdaError
]
KEY_ERROR_CLASSES = [cls for cls in ERROR_CLASSES if issubclass(cls, KeyError)]


def test_the_error_classes_are_found():
    # Guards the parametrized tests below against finding nothing.
    assert {errors.CityFileError, errors.UnknownCityError} <= set(ERROR_CLASSES)
    assert errors.UnknownCityError in KEY_ERROR_CLASSES


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_is_a_cda_error_and_a_builtin_error(cls: type):
    assert issubclass(cls, CdaError)
    assert issubclass(cls, (ValueError, KeyError, RuntimeError))
    assert cls.__name__.endswith("Error")
    assert cls.__doc__, f"{cls.__name__} needs a one-line docstring saying when it is raised"


@pytest.mark.parametrize("cls", KEY_ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_a_key_error_shows_its_message_without_quotes(cls: type):
    message = 'There is no city called "x". Check the spelling.'
    # A plain KeyError would show the repr, wrapped in quotes: the contrast this guards.
    assert str(KeyError(message)) == repr(message)
    with pytest.raises(KeyError) as caught:
        raise cls(message)
    assert str(caught.value) == message


def test_an_error_without_a_message_is_empty_text():
    assert str(CdaError()) == ""


@pytest.mark.parametrize(("word", "choices", "expected"), [
    ("riverbnd", ["riverbend", "seattle"], ' Did you mean "riverbend"?'),
    ("seatle", ["syracuse", "seattle", "rochester"], ' Did you mean "seattle"?'),
    ("Riverbend", ["riverbend"], ' Did you mean "riverbend"?'),
    ("zzz", ["riverbend"], ""),
    ("riverbend", [], ""),
])
def test_did_you_mean_suggests_only_a_close_choice(word, choices, expected):
    assert did_you_mean(word, choices) == expected


def test_did_you_mean_accepts_any_iterable_and_non_text():
    assert did_you_mean("langauge", (name for name in ["language", "country"])) == (
        ' Did you mean "language"?')
    assert did_you_mean(2042, [2024, 1999]) == ' Did you mean "2024"?'


@pytest.mark.parametrize(("choices", "expected"), [
    ([], "(none)"),
    (["en"], '"en"'),
    (["en", "es"], '"en" and "es"'),
    (["en", "es", "pt"], '"en", "es" and "pt"'),
    (iter(["demo", "alliance"]), '"demo" and "alliance"'),
])
def test_list_choices_joins_quoted_choices(choices, expected):
    assert list_choices(choices) == expected


def test_list_choices_shortens_a_long_list():
    letters = list("abcdefghijklmn")  # 14 choices: 12 shown, "and 2 more"
    expected = '"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l" and 2 more'
    assert list_choices(letters) == expected
    assert list_choices(letters[:12]).endswith('"k" and "l"')  # exactly the limit: all shown
    assert list_choices(letters, limit=3) == '"a", "b", "c" and 11 more'
