"""Values and messages found by hostile testing (issue 10, "Values and messages"): each message
says what is wrong in the file, where, and how to fix it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from journeymap.analysis.promises import evaluate_promises
from journeymap.cli import app
from journeymap.graph import build_graph
from journeymap.values import BadValue, parse_duration, parse_share

ONE = """\
journey: J
stages:
  - name: S
    touchpoints:
      - name: A
{extra}
      - name: B
"""


def jm001(checked, extra: str) -> list[str]:
    result = checked(ONE.format(extra=extra))
    return [f"{f.message} | {f.hint}" for f in result.findings if f.rule == "JM001"]


@pytest.mark.parametrize("text", ["٣m", "３０m", "1h٣٠m", "PT٣M", "۵d"])
def test_durations_with_digits_other_than_0_to_9_are_refused_with_a_hint(text: str) -> None:
    with pytest.raises(BadValue) as caught:
        parse_duration(text)
    assert "0–9" in caught.value.message or "0-9" in caught.value.message
    ascii_form = "".join(str(int(c)) if c.isdigit() else c for c in text)
    assert caught.value.hint is not None and f"`{ascii_form}`" in caught.value.hint


@pytest.mark.parametrize("text", ["٣٠%", "٠.٥"])
def test_shares_with_digits_other_than_0_to_9_are_refused(text: str) -> None:
    with pytest.raises(BadValue) as caught:
        parse_share(text)
    assert "0–9" in caught.value.message and caught.value.hint.endswith(("`30%`", "`0.5`"))


def test_shares_just_over_one_show_the_digits_that_make_them_more_than_one(checked) -> None:
    [message] = jm001(checked, "        next: [{to: b, share: 0.5}, {to: b2, share: 0.5000001}]")
    assert "add up to 1.0000001, more than 1" in message


@pytest.mark.parametrize("extra, key", [("        effort:", "effort"), ("        emotion:", "emotion"),
                                        ("        wait: ~", "wait"), ("        channel: null", "channel"),
                                        ("        failures: [{name: Oops, share: , to: b}]", "share")])
def test_a_blank_value_says_the_key_is_empty(checked, extra: str, key: str) -> None:
    [message] = jm001(checked, extra)
    assert f"`{key}` is empty: give a value such as " in message and "or remove the key" in message
    assert "None" not in message.split(" | ")[0]


def test_a_jm202_hint_names_the_first_and_last_steps_of_a_long_fastest_path(journey) -> None:
    steps = "\n".join(f"      - {{name: Step {i}, id: s{i}, wait: 1d}}" for i in range(300))
    j = journey(f"""
journey: Long
stages:
  - name: S
    touchpoints:
{steps}
promises:
  - {{name: Quick, id: p, made_at: s0, kept_at: s299, within: 2d}}
""")
    [(_, found)] = evaluate_promises(build_graph(j))
    [late] = [f for f in found if f.rule == "JM202"]
    assert late.hint.startswith("the fastest path is s0 → s1 → s2 → s3 → s4 → … 290 more → s295 → ")
    assert "s299: shorten its waits" in late.hint and len(late.hint) < 300


def test_a_short_fastest_path_is_shown_whole(journey) -> None:
    j = journey("""
journey: Short
stages:
  - name: S
    touchpoints:
      - {name: A, id: a}
      - {name: B, id: b, wait: 3d}
promises:
  - {name: Quick, id: p, made_at: a, kept_at: b, within: 1d}
""")
    [(_, found)] = evaluate_promises(build_graph(j))
    assert [f.hint for f in found if f.rule == "JM202"] == [
        "the fastest path is a → b: shorten its waits, or promise what that path can keep"]


@pytest.mark.parametrize("name, shown", [("-rf.yaml", "./-rf.yaml"), ("my journey.yaml", "'my journey.yaml'"),
                                         ("ok.yaml", "ok.yaml")])
def test_init_suggests_a_command_that_runs(tmp_path, monkeypatch, name: str, shown: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["init", "--", name], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"next: journeymap check {shown}" in result.output
    assert f"run:  journeymap check {shown}\n" in (tmp_path / name).read_text(encoding="utf-8")
