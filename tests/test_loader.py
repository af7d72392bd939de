"""The loader: positions, YAML 1.2 scalars, and every kind of bad input as a JM001/JM002 finding."""

from __future__ import annotations

import time

import pytest

from journeymap.loader import MAX_DEPTH, load_bytes, load_text, scalar_value


def only(findings):
    assert len(findings) == 1, findings
    return findings[0]


def test_positions_are_one_based_and_count_characters() -> None:
    root = load_text("- شكوى\n- ā: ثا\n", "f.yaml").root
    assert (root.line, root.column) == (1, 1)
    key, value = root.value[1].value[0]
    assert (key.line, key.column) == (2, 3)
    assert (value.line, value.column) == (2, 6)


@pytest.mark.parametrize("text,expected", [
    ("No", "No"), ("off", "off"), ("yes", "yes"), ("true", True), ("False", False),
    ("~", None), ("null", None), ("12", 12), ("0x1f", 31), ("1.5", 1.5), ("'12'", "12"),
    ("!!str 12", "12"), ("30%", "30%"), ("1e3", 1000.0),
])
def test_yaml_12_core_scalars(text: str, expected: object) -> None:
    root = load_text(f"v: {text}\n", "f.yaml").root
    assert scalar_value(root.value[0][1]) == expected


def test_duplicate_key_names_both_lines() -> None:
    f = only(load_text("a: 1\nb: 2\na: 3\n", "f.yaml").findings)
    assert (f.rule, f.span.line, f.span.column) == ("JM002", 3, 1)
    assert "line 1" in f.message


@pytest.mark.parametrize("data,line,column,words", [
    (b"", 1, 1, "empty"),
    (b"   \n\n", 1, 1, "empty"),
    (b"journey: x\x00\n", 1, 1, "binary"),
    (b"journey: caf\xe9\n", 1, 13, "UTF-8"),
    (b"a:\n\tb: 1\n", 2, 1, "tab"),
    (b"a: [1, 2\n", 2, 1, "syntax"),
    (b"a: !!python/object/apply:os.system [ls]\n", 1, 4, "!!python/object/apply:os.system"),
    (b"a: *nowhere\n", 1, 4, "alias"),
    (b"a: 1\n---\nb: 2\n", 2, 1, "second"),
])
def test_bad_input_is_one_positioned_finding(data: bytes, line: int, column: int, words: str) -> None:
    f = only(load_bytes(data, "f.yaml").findings)
    assert f.rule == "JM001"
    assert (f.span.line, f.span.column) == (line, column)
    assert words.lower() in f.message.lower()


def test_bom_and_crlf_are_fine() -> None:
    loaded = load_bytes(b"\xef\xbb\xbfa: 1\r\nb: two\r\n", "f.yaml")
    assert loaded.findings == []
    assert [k.value for k, _ in loaded.root.value] == ["a", "b"]
    assert loaded.root.value[1][0].line == 2


def test_deep_nesting_is_rejected_quickly() -> None:
    for text in ("[" * 30_000 + "]" * 30_000, "- " * 30_000 + "x",
                 "".join("  " * i + "k:\n" for i in range(MAX_DEPTH + 5))):
        start = time.perf_counter()
        f = only(load_text(text, "deep.yaml").findings)
        assert f.rule == "JM001" and "nested" in f.message
        assert time.perf_counter() - start < 5  # generous: it stops at depth 64, not 30,000


def test_alias_bomb_is_rejected() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    f = only(load_text("\n".join(lines), "bomb.yaml").findings)
    assert f.rule == "JM001" and "aliases" in f.message


def test_small_aliases_and_merge_keys_work() -> None:
    text = "base: &b {channel: phone, owner: Desk}\ntp:\n  <<: *b\n  owner: Field\n"
    root = load_text(text, "f.yaml").root
    tp = dict((k.value, v.value) for k, v in root.value[1][1].value)
    assert tp == {"owner": "Field", "channel": "phone"}


def test_oversized_file_is_rejected_without_parsing(tmp_path) -> None:
    from journeymap.loader import MAX_BYTES, load_file

    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 10))
    f = only(load_file(str(big)).findings)
    assert f.rule == "JM001" and "larger" in f.message
