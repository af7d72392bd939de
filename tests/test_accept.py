"""`accept:` in a journey file: one finding accepted knowingly, always with a reason."""

from __future__ import annotations

import textwrap

from journeymap.policy import accepted
from journeymap.findings import finding

from conftest import FIXTURES

NO_FAILURES = (FIXTURES / "ci" / "reports" / "no-failures.yaml").read_text("utf-8")
UNREACHABLE = (FIXTURES / "ci" / "reports" / "unreachable.yaml").read_text("utf-8")


def rules_of(result) -> list[str]:
    return [f.rule for f in result.findings]


def test_journey_level_accept_drops_that_rule(checked) -> None:
    assert rules_of(checked(NO_FAILURES)) == ["JM102"]
    text = NO_FAILURES.replace("stages:", textwrap.dedent("""\
        accept:
          - rule: JM102
            reason: a first sketch from the workshop; failures come next week
        stages:"""))
    assert rules_of(checked(text)) == []


def test_accept_needs_a_reason(checked) -> None:
    text = NO_FAILURES.replace("stages:", "accept:\n  - rule: JM102\nstages:")
    result = checked(text)
    assert rules_of(result) == ["JM001"]
    assert "needs `reason:`" in result.findings[0].message


def test_the_short_form_says_what_is_missing(checked) -> None:
    result = checked(NO_FAILURES.replace("stages:", "accept: [JM102]\nstages:"))
    assert rules_of(result) == ["JM001"]
    f = result.findings[0]
    assert "accepting `JM102` needs a reason" in f.message and "reason:" in f.hint
    assert (f.span.line, f.span.column) == (3, 10)


def test_an_unknown_rule_id_gets_a_hint(checked) -> None:
    text = NO_FAILURES.replace("stages:", "accept:\n  - rule: JM120\n    reason: x\nstages:")
    f = checked(text).findings[0]
    assert f.rule == "JM001" and "not a rule id" in f.message and "JM" in (f.hint or "")


def test_rule_ids_are_case_insensitive(checked) -> None:
    text = NO_FAILURES.replace("stages:", "accept:\n  - rule: jm102\n    reason: a sketch\nstages:")
    assert rules_of(checked(text)) == []


def test_touchpoint_accept_covers_only_that_touchpoint(checked) -> None:
    assert rules_of(checked(UNREACHABLE)) == ["JM104"]
    text = UNREACHABLE.replace("      - name: Gift wrap\n", textwrap.indent(textwrap.dedent("""\
        - name: Gift wrap
          accept:
            - rule: JM104
              reason: designed, launching in May
        """), "      "))
    assert rules_of(checked(text)) == []
    elsewhere = UNREACHABLE.replace("      - name: Pay\n", textwrap.indent(textwrap.dedent("""\
        - name: Pay
          accept:
            - rule: JM104
              reason: wrong place
        """), "      "))
    assert rules_of(checked(elsewhere)) == ["JM104"]


def test_accepting_another_rule_hides_nothing(checked) -> None:
    text = NO_FAILURES.replace("stages:", "accept:\n  - rule: JM104\n    reason: x\nstages:")
    assert rules_of(checked(text)) == ["JM102"]


def test_promise_accept_covers_findings_about_that_promise(journey) -> None:
    j = journey("""\
        journey: Call back
        stages:
          - name: Ask
            touchpoints:
              - name: Complain
                failures:
                  - name: Line busy
                    to: complain
              - name: Call back
        promises:
          - name: We call you back today
            id: today
            made_at: complain
            kept_at: call-back
            accept:
              - rule: JM202
                reason: the callback team is being hired
          - name: We email a summary
            id: summary
            made_at: complain
            kept_at: call-back
        """)
    late_today = finding("JM202", "late", j.promises[0].span, "today")
    late_summary = finding("JM202", "late", j.promises[1].span, "summary")
    at_risk_today = finding("JM203", "at risk", j.promises[0].span, "today")
    assert accepted(j, [late_today, late_summary, at_risk_today]) == [late_summary, at_risk_today]
    assert j.promises[0].accept == (("JM202", "the callback team is being hired"),)
