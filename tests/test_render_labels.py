"""Label text: cleaned, escaped for DOT and HTML, and wrapped without breaking a grapheme."""

from __future__ import annotations

import html as std_html
import random
import re
import shutil
import subprocess
import unicodedata

import pytest

from journeymap.render.labels import clean, dot_html, html, quoted, wrap, wrapped_html

NASTY = [
    'say "hi"', "back\\slash", "\\N \\G \\E \\T \\H \\L \\l \\n \\r \\", "ends with \\",
    '\\"', "a\\\\b", "{ } [ ] ; -> -- = ,", "<b>bold</b> & &amp; &#92;N &lt;", "]]> <!-- -->",
    "<script>alert(1)</script>", "'single'", "line\nbreak\ttab\rreturn", "nul\x00 bell\x07",
    "مرحبا بالعالم", "สวัสดีครับ", "Ķeguma iela 7", "שלום", "emoji 🙂 zwj 👩‍💻", "persian نیم‌فاصله",
]


def random_strings(n: int, seed: int = 5) -> list[str]:
    alphabet = list('ab \\"<>&{};[]=\'\n\t-#/%NGEL') + ["\u0e31", "\u0e40", "ا", "\u200c"]
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(n)]


def test_clean_keeps_text_on_one_line_without_control_characters() -> None:
    assert clean("a\nb\r\nc\td") == "a b c d"
    assert clean("nul\x00 bell\x07 \ud800x") == "nul bell x"
    assert clean("  spaced   out ") == "spaced out"
    assert clean("نیم‌فاصله") == "نیم‌فاصله"  # the zero-width non-joiner Persian needs stays


def test_html_escapes_markup_and_quotes() -> None:
    assert html("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    assert std_html.unescape(html("<script>é</script>")) == "<script>é</script>"


def test_dot_html_doubles_backslashes_and_quoted_quadruples_them() -> None:
    assert dot_html("a\\N<") == "a\\\\N&lt;"
    assert quoted('say "\\N"') == '"say \\"\\\\\\\\N\\""'


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_every_string_survives_graphviz_as_label_and_tooltip_exactly() -> None:
    strings = [s for s in NASTY + random_strings(60) if clean(s)]
    nodes = "\n".join(f"n{i} [label=<{dot_html(s)}>, tooltip={quoted(s)}];"
                      for i, s in enumerate(strings))
    svg = subprocess.run(["dot", "-Tsvg"], input=f"digraph G {{\n{nodes}\n}}".encode(),
                         capture_output=True, check=True).stdout.decode()
    titles = [std_html.unescape(t) for t in re.findall(r'xlink:title="([^"]*)"', svg)]
    labels = [std_html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert titles == [clean(s) for s in strings]
    assert labels == [clean(s) for s in strings]


def test_wrap_breaks_at_spaces_within_width() -> None:
    assert wrap("Call the support line about the broken phone", 22) == [
        "Call the support line", "about the broken phone"]
    assert wrap("short") == ["short"]
    assert wrap("") == [""]


def test_wrap_shortens_very_long_labels_with_an_ellipsis() -> None:
    lines = wrap("word " * 40, 22, max_lines=3)
    assert len(lines) == 3 and lines[-1].endswith("…")


THAI = "ติดตามพัสดุและคืนเงินให้ก่อนที่ลูกค้าจะโทรมาถามอีกครั้งหนึ่ง"


def test_thai_without_spaces_wraps_between_grapheme_clusters() -> None:
    lines = wrap(THAI, 12, max_lines=10)
    assert len(lines) > 1 and "".join(lines) == THAI
    for line in lines:
        assert unicodedata.category(line[0]) not in ("Mn", "Mc")  # no mark without its consonant
        assert line[-1] not in "เแโใไ"  # no leading vowel cut off from its consonant


def test_wrapped_html_escapes_each_line() -> None:
    assert wrapped_html("<b> and <i> and \\N and more words", 12) == (
        "&lt;b&gt; and &lt;i&gt;<BR/>and \\\\N and<BR/>more words")
