"""How easy a text is to read, in its own language, with textstat, and what would help.

Each language has its own formula, built on the same two counts (words per sentence and
syllables per word, syllables found by each language's hyphenation dictionary):

* English: the Flesch–Kincaid grade (the US school grade that can read it; lower is easier);
* Spanish: Fernández Huerta's reading ease (1959; higher is easier);
* Portuguese: Flesch's reading ease adapted by Martins et al. (1996; higher is easier).

The target is a text most adults read easily: grade 8 in English, the level US federal
plain-language guidance (plainlanguage.gov) and health-literacy practice aim at for the
public; for Spanish, 60 on Fernández Huerta's scale, "normal (para adulto)", read by the 7th
or 8th grade (legible.es); for Portuguese, 50 on Martins' scale, "fácil", the 5th to 8th
grade. :func:`score_text` gives the score, whether it meets the target and feedback in
plain words: which of the two counts to bring down, and by how much.

>>> score_text("The city fixed the light. It took two days.", "en").words
9
"""

from __future__ import annotations

from dataclasses import dataclass

from cda_lib.text.numbers import format_number
from cda_lib.text.translation import N_, gettext as _

# textstat's hyphenation dictionary for each page language (pyphen's names).
TEXTSTAT_LANGUAGES = {"en": "en_US", "es": "es", "pt": "pt_BR"}
FORMULA_NAMES = {"en": N_("Flesch–Kincaid grade"), "es": N_("Fernández Huerta reading ease"),
                 "pt": N_("Flesch reading ease adapted to Portuguese (Martins et al.)")}
# The targets (see the module's docstring for where each comes from). English is a grade,
# at most 8; the others are ease scores, at least the number given.
TARGETS = {"en": 8.0, "es": 60.0, "pt": 50.0}
LOWER_IS_EASIER = {"en": True, "es": False, "pt": False}
# Plain-language guides advise sentences of 15 to 20 words on average; 20 is the ceiling.
LONGEST_SENTENCES = 20.0
# The syllables per word at which, with 15-word sentences, each formula reaches its target:
# English 0.39 x 15 + 11.8 x 1.5 - 15.59 = 8.0; Spanish 206.84 - 60 x 2.1 - 1.02 x 15 = 65.5;
# Portuguese 248.835 - 1.015 x 15 - 84.6 x 2.0 = 64.4 (Portuguese and Spanish words are longer).
LONGEST_WORDS = {"en": 1.5, "es": 2.1, "pt": 2.0}
FEWEST_WORDS = 20  # below this, a score says more about chance than about the writing


@dataclass(frozen=True)
class Readability:
    """A text's readability score in its language, the counts it comes from and its target."""

    language: str
    score: float | None  # None: too few words to score
    words: int
    sentences: int
    words_per_sentence: float
    syllables_per_word: float

    @property
    def target(self) -> float:
        return TARGETS[self.language]

    @property
    def formula(self) -> str:
        return _(FORMULA_NAMES[self.language])

    @property
    def meets_target(self) -> bool:
        if self.score is None:
            return False
        if LOWER_IS_EASIER[self.language]:
            return self.score <= self.target
        return self.score >= self.target

    def score_sentence(self) -> str:
        """The score and the target, in one sentence."""
        if self.score is None:
            return _("{words} words are too few to score: write at least {least}.",
                     words=self.words, least=FEWEST_WORDS)
        values = {"formula": self.formula, "score": format_number(self.score, 1),
                  "target": format_number(self.target, 0)}
        if LOWER_IS_EASIER[self.language]:
            if self.meets_target:
                return _("{formula}: {score}, at or below the target of grade {target}.",
                         **values)
            return _("{formula}: {score}, above the target of grade {target}.", **values)
        if self.meets_target:
            return _("{formula}: {score}, at or above the target of {target} (higher is "
                     "easier).", **values)
        return _("{formula}: {score}, below the target of {target} (higher is easier).",
                 **values)

    def feedback(self) -> list[str]:
        """The score, then what to change, in plain words."""
        said = [self.score_sentence()]
        if self.score is None:
            return said
        long_sentences = self.words_per_sentence > LONGEST_SENTENCES
        long_words = self.syllables_per_word > LONGEST_WORDS[self.language]
        if long_sentences:
            said.append(_("Your sentences have {average} words on average: split the longest "
                          "ones, so that most have fewer than {most}.",
                          average=format_number(self.words_per_sentence, 1),
                          most=format_number(LONGEST_SENTENCES, 0)))
        if long_words:
            said.append(_("Your words have {average} syllables on average: where you can, use a "
                          "short, everyday word for a long one (\"use\" for \"utilize\", "
                          "\"about\" for \"approximately\").",
                          average=format_number(self.syllables_per_word, 1)))
        if self.meets_target:
            said.append(_("Most residents can read this easily."))
        elif not (long_sentences or long_words):
            said.append(_("Close: shorten a sentence or two, or swap a long word for a short "
                          "one."))
        return said

    def __str__(self) -> str:
        return " ".join(self.feedback())


def score_text(text: str, language: str) -> Readability:
    """The readability of ``text`` in ``language`` ("en", "es" or "pt"), with textstat.

    >>> english = score_text("We fixed most street lights within a week. Half of all "
    ...                      "requests were closed within three days. Thank you for "
    ...                      "telling us.", "en")
    >>> english.sentences, english.words, english.meets_target
    (3, 22, True)
    """
    import textstat

    if language not in TARGETS:
        raise ValueError(f"No readability formula for {language!r}: use one of "
                         f"{sorted(TARGETS)}.")
    textstat.set_lang(TEXTSTAT_LANGUAGES[language])
    try:
        words = int(textstat.lexicon_count(text))
        sentences = int(textstat.sentence_count(text)) if words else 0
        per_sentence = float(textstat.avg_sentence_length(text)) if words else 0.0
        per_word = float(textstat.avg_syllables_per_word(text)) if words else 0.0
        score = None
        if words >= FEWEST_WORDS:
            score = float(_formula(textstat, text, language, per_sentence, per_word))
    finally:
        textstat.set_lang(TEXTSTAT_LANGUAGES["en"])
    return Readability(language, score, words, sentences, per_sentence, per_word)


def _formula(textstat, text: str, language: str, per_sentence: float, per_word: float) -> float:
    if language == "en":
        return textstat.flesch_kincaid_grade(text)
    if language == "es":
        return textstat.fernandez_huerta(text)
    return portuguese_reading_ease(per_sentence, per_word)


def portuguese_reading_ease(words_per_sentence: float, syllables_per_word: float) -> float:
    """Flesch's reading ease adapted to Portuguese (Martins et al., 1996): 248.835 - 1.015 x
    words per sentence - 84.6 x syllables per word. textstat has the inputs, not the constants.

    >>> round(portuguese_reading_ease(10, 2.0), 3)
    69.485
    """
    return 248.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word
