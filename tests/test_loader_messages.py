"""The loader's messages found wanting by hostile testing (issue 10, "Values and messages"):
positions where the mistake is, words about what is wrong, and every syntax error, not the first."""

from __future__ import annotations

import math

import pytest

from journeymap.loader import load_bytes, load_text, scalar_value

JOURNEY = """\
journey: J
stages:
  - name: S
    touchpoints:
      - name: A
{a}
      - name: B
{b}
  - name: T
    touchpoints:
      - name: C
{c}
"""


def syntax(text: str) -> list[tuple[int, int, str, str | None]]:
    return [(f.span.line, f.span.column, f.message, f.hint) for f in load_text(text, "f.yaml").findings]


@pytest.mark.parametrize("text", [".inf", ".Inf", ".INF", "-.inf", "+.Inf", ".nan", ".NaN", ".NAN"])
def test_the_yaml_12_spellings_of_infinity_and_nan_are_numbers(text: str) -> None:
    value = scalar_value(load_text(text, "f").root)
    assert isinstance(value, float) and (math.isinf(value) or math.isnan(value))


@pytest.mark.parametrize("text", [".iNf", ".InF", "-.iNF", ".nAn", ".Nan", ".nAN"])
def test_other_spellings_of_infinity_and_nan_are_text(text: str) -> None:
    assert scalar_value(load_text(text, "f").root) == text


def test_a_duplicate_key_made_with_an_alias_is_reported_where_the_alias_is_used() -> None:
    text = "defaults: &k name\nitem:\n  name: A\n  *k : B\n"
    [found] = load_text(text, "f.yaml").findings
    assert found.rule == "JM002" and (found.span.line, found.span.column) == (4, 3)
    assert "first at line 3" in found.message


def test_a_tab_inside_a_quoted_string_is_not_blamed_for_another_mistake() -> None:
    text = JOURNEY.format(a='        owner: "Billing\tteam" and more', b="", c="")
    [(line, column, message, hint)] = syntax(text)
    assert line == 6 and "tab" not in message and "tab" not in (hint or "")


def test_a_tab_in_the_indentation_is_still_named() -> None:
    text = JOURNEY.format(a="\t  owner: Billing", b="", c="")
    [(line, _, message, _)] = syntax(text)
    assert line == 6 and "tab" in message


@pytest.mark.parametrize("encoding, words", [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
                                             ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32")])
def test_utf16_and_utf32_without_a_byte_order_mark_are_named(encoding: str, words: str) -> None:
    data = JOURNEY.format(a="", b="", c="").replace("A", "عربي").encode(encoding)
    [found] = load_bytes(data, "f.yaml").findings
    assert words in found.message and "binary" not in found.message
    assert "UTF-8" in found.hint


def test_a_binary_file_is_still_binary() -> None:
    [found] = load_bytes(bytes(range(256)) * 4, "f.yaml").findings
    assert "binary" in found.message


@pytest.mark.parametrize("bad", ["        emotion:frustrated", "        effort:2"])
def test_a_key_without_a_space_after_its_colon_is_named_on_its_own_line(bad: str) -> None:
    text = JOURNEY.format(a=bad, b="        effort: 2", c="")
    [(line, column, message, hint)] = syntax(text)
    key, value = bad.strip().split(":")
    assert (line, column) == (6, 9 + len(key) + 1)
    assert f"`{key}:{value}`" in message and "space" in message
    assert hint is not None and f"`{key}: {value}`" in hint


def test_a_url_is_not_taken_for_a_key_without_a_space() -> None:
    text = JOURNEY.format(a="        channel: web\n        http://example.com", b="", c="")
    assert all("space after" not in message for _, _, message, _ in syntax(text))


@pytest.mark.parametrize("a", ["         owner: x", "      owner: x", "       effort: 2"])
def test_indentation_errors_say_so_with_a_hint(a: str) -> None:
    text = JOURNEY.format(a="        channel: web\n" + a, b="", c="")
    found = syntax(text)
    assert found, text
    line, _, message, hint = found[0]
    assert line == 7
    assert "indent" in (message + (hint or "")).lower(), found[0]


def test_syntax_errors_in_separate_items_are_all_reported() -> None:
    text = JOURNEY.format(a="        owner: x: y\n        effort: 2",
                          b="        emotion:frustrated\n        effort: 3",
                          c="        effort: 2\n         owner: x")
    found = syntax(text)
    assert [line for line, *_ in found] == [6, 9, 15], found
    assert "space after the colon" in found[1][2]


def test_an_error_at_the_end_of_the_file_ends_the_search() -> None:
    # An unclosed quote runs to the end of the file: nothing after it can be told apart.
    text = JOURNEY.format(a='        owner: "unclosed', b="        effort: x: y", c="")
    assert len(syntax(text)) == 1


def test_one_broken_item_gives_one_finding_not_a_cascade() -> None:
    text = JOURNEY.format(a="        owner: x\n          effort: 2\n        channel: web\n        emotion: 1",
                          b="        effort: 3", c="        effort: 4")
    assert len(syntax(text)) == 1
