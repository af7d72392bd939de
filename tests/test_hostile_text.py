"""Hostile journey text: names that try to forge lines, drive the terminal or break CI formats.

Every human and CI format writes control characters in journey text as visible escapes, so one
finding stays one line and a name can never start a GitHub workflow command of its own.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.printable import printable

runner = CliRunner()

# YAML escapes: \e is ESC, \0 NUL, \x85 NEL (C1), \u2028 LINE SEPARATOR, \x9b CSI (C1)
HOSTILE = r'''journey: "Title\r\n::error file=x.yaml,line=1::forged title"
stages:
  - name: "Stage\e[31mred"
    touchpoints:
      - name: "Ask\n::error file=x.yaml,line=1::forged name"
        channel: "web\0"
        owner: "Team\x85next\x9b2J"
        failures:
          - name: "Lost\u2028::warning::forged failure\e]0;title\a"
      - name: "Done\r::error::cr"
        next: "nowhere\n::error::forged reference"
'''

BLOCK_TITLE = '''journey: |
  A title
  ::error::on its own line
stages:
  - name: Only
    touchpoints:
      - name: |
          Ask
          ::error::in a block scalar
        failures:
          - name: >+
              Lost

      - name: Done
'''

# Controls a line-oriented reader must never see: C0 except none, DEL, C1, line/paragraph separators
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(params=[HOSTILE, BLOCK_TITLE], ids=["escapes", "block-scalars"])
def hostile(request, tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(request.param, encoding="utf-8")
    return path


def _finding_count(path: Path) -> int:
    doc = json.loads(invoke("check", "--format", "json", str(path)).output)
    return len(doc["journeys"][0]["findings"])


def test_printable_escapes_every_control_and_keeps_scripts() -> None:
    assert printable("a\nb\r\x1b[31m\x00\x85\u2028\t") == r"a\nb\r\x1b[31m\x00\x85\u2028\t"
    assert printable("مرحبا שלום สวัสดี Rīga \u200f") == "مرحبا שלום สวัสดี Rīga \u200f"
    assert printable("caf\udce9.yaml") == r"caf\xe9.yaml"  # a file name byte that is not UTF-8


def test_text_output_is_one_line_per_finding(hostile: Path) -> None:
    result = invoke("check", str(hostile))
    lines = result.output.splitlines()
    assert len(lines) == _finding_count(hostile) + 1  # the findings and the summary
    assert all(re.match(r"^\S+:\d+:\d+: (error|warning) \[JM\d{3}\] ", line) for line in lines[:-1])
    assert not _CONTROL.search(result.output.replace("\n", ""))
    assert r"\n::error" in result.output  # shown, not dropped


def test_github_annotations_cannot_be_forged(hostile: Path) -> None:
    result = invoke("check", "--format", "github", str(hostile))
    lines = result.stdout.splitlines()
    assert len(lines) == _finding_count(hostile)
    assert all(re.match(r"^::(error|warning) file=[^:]+,line=\d+,col=\d+,title=JM\d{3}::", line)
               for line in lines)
    assert not _CONTROL.search(result.stdout.replace("\n", ""))
    assert "%0A::error" not in result.stdout  # escaped before GitHub's own %-encoding


def test_gitlab_sarif_and_junit_messages_hold_no_controls(hostile: Path) -> None:
    gitlab = json.loads(invoke("check", "--format", "gitlab", str(hostile)).stdout)
    assert gitlab and not any(_CONTROL.search(issue["description"]) for issue in gitlab)
    sarif = json.loads(invoke("check", "--format", "sarif", str(hostile)).stdout)
    texts = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert texts and not any(_CONTROL.search(t) for t in texts)
    root = ET.fromstring(invoke("check", "--format", "junit", str(hostile)).stdout.encode("utf-8"))
    for element in root.iter():
        for value in [*element.attrib.values(), element.text or ""]:
            assert not _CONTROL.search(value.strip("\n ")), (element.tag, value)


def test_report_terminal_output_holds_no_controls(hostile: Path) -> None:
    result = invoke("report", str(hostile))
    assert not _CONTROL.search(result.stdout.replace("\n", ""))
    assert not any(line.lstrip().startswith("::") for line in result.stdout.splitlines())


def test_rules_does_not_echo_controls() -> None:
    result = runner.invoke(app, ["rules", "JM1\x1b[2J\n::error::x"])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\n::error" not in result.output


def test_render_skip_message_holds_no_controls(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text('journey: x\nstages:\n  - name: S\n    touchpoints:\n      - name: A\n'
                    '        next: "no\\e[2J\\n::error::x"\n', encoding="utf-8")
    result = invoke("render", str(path), "--format", "dot", "-o", str(tmp_path / "x.dot"))
    assert result.exit_code == 1
    assert not any(line.startswith("::") for line in result.output.splitlines())
    assert r"\x1b[2J\n::error::x" in result.output  # (click strips a raw ESC; the escape shows)


# Trojan Source (CVE-2021-42574): a name whose bidi override or isolate makes a line read as
# something else, and tag characters spelling a hidden sentence
TROJAN = '''journey: "Refund \\u202eorre\\u202c ::error::x"
stages:
  - name: "Stage \\u2067hidden\\u2069 \\u2066isolated"
    touchpoints:
      - name: "Ask \\u202dforced \\u202aembedded \\u202bright"
        owner: "Team\\U000E0069\\U000E0067\\U000E006E\\uFEFF\\u2062"
        next: "nowhere\\u202e"
      - name: Done
'''
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\ufeff\u2062\U000e0000-\U000e007f]")

# An Arabic journey with a mistake, so its text reaches every finding: a reference that names no
# touchpoint, with a Persian zero-width non-joiner; a right-to-left mark before the number in the
# title (it keeps "(3)" on the right side of an Arabic title)
ARABIC = '''journey: "استبدال بطاقة مصرفية مفقودة \\u200f(3)"
lang: ar
stages:
  - name: الإبلاغ عن الفقدان
    touchpoints:
      - name: إيقاف البطاقة
        next: "طلب\\u200cبطاقة"
      - name: استلام البطاقة
'''


def test_printable_escapes_bidi_overrides_and_hidden_format_characters() -> None:
    assert printable("a\u202eb\u202c c\u2066d\u2069") == r"a\u202eb\u202c c\u2066d\u2069"
    assert printable("x\U000e0041\U000e0042\ufeff\u2062") == r"x\U000e0041\U000e0042\ufeff\u2062"
    wales = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"
    assert printable(f"Cardiff {wales}") == f"Cardiff {wales}"  # an emoji tag sequence stays
    # the marks and joiners RTL scripts, Persian, Thai and emoji need stay as they are
    kept = "\u200e\u200f\u061c\u200c\u200d\u200b\u2060 مرحبا می\u200cخواهم สวัสดี 👩\u200d💻"
    assert printable(kept) == kept


def test_every_format_character_is_either_kept_or_escaped() -> None:
    # a new Unicode version's format characters fail here until someone decides which they are
    import unicodedata

    from journeymap.printable import HIDING, KEPT_FORMAT

    kept, hiding = re.compile(f"[{KEPT_FORMAT}]"), re.compile(f"[{HIDING}]")
    formats = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert [hex(ord(c)) for c in formats if not kept.match(c) and not hiding.match(c)] == []
    assert [hex(ord(c)) for c in formats if kept.match(c) and hiding.match(c)] == []
    assert [c for c in formats if hiding.match(c) and printable(c) == c] == []


@pytest.fixture
def trojan(tmp_path: Path) -> Path:
    path = tmp_path / "trojan.yaml"
    path.write_text(TROJAN, encoding="utf-8")
    return path


def _outputs(path: Path) -> dict[str, str]:
    """Every human and CI format's text for ``path``: the messages of the JSON ones."""
    texts = {name: invoke("check", "--format", name, str(path)).stdout for name in ("text", "github")}
    texts["gitlab"] = " ".join(i["description"] for i in
                               json.loads(invoke("check", "--format", "gitlab", str(path)).stdout))
    sarif = json.loads(invoke("check", "--format", "sarif", str(path)).stdout)
    texts["sarif"] = " ".join(r["message"]["text"] for r in sarif["runs"][0]["results"])
    texts["junit"] = invoke("check", "--format", "junit", str(path)).stdout
    texts["report"] = invoke("report", str(path)).stdout
    return texts


def test_bidi_controls_and_hidden_text_are_shown_in_every_format(trojan: Path) -> None:
    for name, text in _outputs(trojan).items():
        assert not _BIDI.search(text), name
        if name != "report":  # (the report has no finding about `next`)
            assert r"nowhere\u202e" in text, name
    trojan.write_text(TROJAN.replace('next: "nowhere\\u202e"', "next: done"), encoding="utf-8")
    report = invoke("report", str(trojan)).stdout
    assert r"\u202eorre\u202c ::error::x" in report and not _BIDI.search(report)


def test_arabic_text_comes_through_every_format_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ar.yaml"
    path.write_text(ARABIC, encoding="utf-8")
    for name, text in _outputs(path).items():
        if name != "report":  # (not a valid journey: the report shows the finding, its own way)
            assert "`إيقاف-البطاقة` names `طلب\u200cبطاقة`" in text, name
    path.write_text(ARABIC.replace('"طلب\\u200cبطاقة"', "استلام-البطاقة"), encoding="utf-8")
    report = invoke("report", str(path)).stdout
    assert "استبدال بطاقة مصرفية مفقودة \u200f(3)" in report
    assert "الإبلاغ عن الفقدان" in report and "إيقاف البطاقة" in report
