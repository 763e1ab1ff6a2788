"""Built pages speak their city's language: a true ``lang``, and no English sentences.

Villa Serena (es) and Serra Clara (pt) are built with every teaching module and exercise
copy; Riverbend's English pages are the control that shows the measure can fail.

The measure: English function words ("the", "and", "of", "is", "with") among the words a
reader sees, leaving out code (a cell's code is English in every language). English prose
is about 12% these five words; a Spanish or Portuguese sentence has none of them, so a
page above 1% holds English sentences. Proper names, code in backticks and identifiers
(``service_name``, ``higher_is_better``) are not function words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

FUNCTION_WORDS = {"the", "and", "of", "is", "with"}
ENGLISH_SHARE_LIMIT = 0.01
CITIES = {"villa-serena": "es", "serra-clara": "pt"}


class VisibleText(HTMLParser):
    """The words of a page a reader sees: no script, style or code cell input."""

    SKIPPED = {"script", "style", "head"}

    def __init__(self):
        super().__init__()
        self.words: list[str] = []
        self.depth_skipped = 0
        self.stack: list[bool] = []
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        classes = attributes.get("class") or ""
        skipped = tag in self.SKIPPED or "jp-InputArea-editor" in classes \
            or "jp-InputPrompt" in classes or "jp-OutputPrompt" in classes
        if tag in {"br", "img", "meta", "link", "input", "hr", "wbr", "source"}:
            return
        self.stack.append(skipped)
        self.depth_skipped += skipped

    def handle_endtag(self, tag):
        if tag in {"br", "img", "meta", "link", "input", "hr", "wbr", "source"}:
            return
        if self.stack:
            self.depth_skipped -= self.stack.pop()

    def handle_data(self, data):
        if not self.depth_skipped:
            # a token with an underscore or a digit is code (higher_is_better, 2025Q4)
            self.words += [token for token in re.findall(r"\w+", data.lower())
                           if token.isalpha()]


def read_page(path: Path) -> VisibleText:
    parser = VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def english_share(page: VisibleText) -> float:
    return sum(word in FUNCTION_WORDS for word in page.words) / max(len(page.words), 1)


@pytest.fixture(scope="module")
def built(demo_build):
    """The session's build of the three demo cities (tests/demo_build.py)."""
    failures = demo_build.result.failures
    assert not failures, [failure.error_message for failure in failures]
    return demo_build.root


@pytest.mark.slow
@pytest.mark.parametrize(("city", "language"), [*CITIES.items(), ("riverbend", "en")])
def test_every_page_says_its_language(built, city, language):
    pages = sorted((built / city).rglob("*.html"))
    assert len(pages) >= 12
    assert {page.name: read_page(page).lang for page in pages} == \
        {page.name: language for page in pages}


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_no_english_sentence_reaches_a_spanish_or_portuguese_page(built, city):
    shares = {page.relative_to(built / city).as_posix(): english_share(read_page(page))
              for page in sorted((built / city).rglob("*.html"))}
    english = {name: f"{share:.1%}" for name, share in shares.items()
               if share > ENGLISH_SHARE_LIMIT}
    assert english == {}


@pytest.mark.slow
def test_the_measure_finds_the_english_pages(built):
    pages = sorted((built / "riverbend").rglob("*.html"))
    assert all(english_share(read_page(page)) > 5 * ENGLISH_SHARE_LIMIT for page in pages)


def test_the_measure_counts_function_words_outside_code():
    page = VisibleText()
    page.feed('<html lang="es"><body><p>La ciudad and the city higher_is_better</p>'
              '<div class="jp-InputArea-editor"><pre>the and of is with</pre></div>'
              "<script>the the</script></body></html>")
    assert (page.lang, page.words) == ("es", ["la", "ciudad", "and", "the", "city"])
    assert english_share(page) == 2 / 5
