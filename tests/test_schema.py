"""Schema checks into the model: values, ids, references, and Unicode coming through intact."""

from __future__ import annotations

import pytest

from journeymap.model import Outcome
from journeymap.values import BadValue, parse_duration, parse_share, slug

UNICODE = """\
journey: {title}
lang: {lang}
stages:
  - name: {stage}
    touchpoints:
      - name: {first}
        failures:
          - name: {failure}
            to: {first_id}
      - name: {second}
        outcome: success
"""

CASES = {
    "ar": dict(title="استبدال بطاقة مصرفية", stage="الإبلاغ", first="الاتصال بالبنك",
               first_id="الاتصال-بالبنك", failure="الخط مشغول", second="استلام البطاقة"),
    "fa": dict(title="تعویض کارت بانکی", stage="گزارش", first="تماس با بانک",
               first_id="تماس-با-بانک", failure="خط اشغال است", second="دریافت کارت"),
    "th": dict(title="เปลี่ยนบัตรธนาคาร", stage="แจ้งปัญหา", first="โทรหาธนาคาร",
               first_id="โทรหาธนาคาร", failure="สายไม่ว่าง", second="ได้รับบัตรใหม่"),
    "lv": dict(title="Bankas kartes nomaiņa", stage="Ziņošana", first="Zvans uz banku",
               first_id="zvans-uz-banku", failure="Līnija aizņemta", second="Jaunā karte saņemta"),
}


@pytest.mark.parametrize("lang", CASES)
def test_unicode_journeys_load_slug_and_keep_their_text(journey, lang: str) -> None:
    case = CASES[lang]
    j = journey(UNICODE.format(lang=lang, **case))
    first, second = j.touchpoints
    assert j.title == case["title"] and first.name == case["first"]
    assert first.id == case["first_id"]
    assert first.failures[0].to == first.id and first.failures[0].name == case["failure"]
    assert second.outcome is Outcome.SUCCESS
    assert j.rtl is (lang in ("ar", "fa"))


def test_slug_keeps_letters_and_marks_of_any_script() -> None:
    assert slug("Fix a silent home-phone line!") == "fix-a-silent-home-phone-line"
    assert slug("ส่งคำขอ") == "ส่งคำขอ"  # Thai vowel and tone marks are kept
    assert slug("Pieteikums ĀRSTAM") == "pieteikums-ārstam"
    assert slug("«مرحبا»  بكم") == "مرحبا-بكم"


@pytest.mark.parametrize("text,seconds", [
    ("20m", 1200), ("1h30m", 5400), ("2d", 172800), ("8w", 8 * 604800), ("PT30M", 1800),
    ("P1DT2H", 93600), ("1.5h", 5400), ("45s", 45),
])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("value", [20, "20", "20 minutes", "P3M", "20M", True, None, "PT"])
def test_bad_durations(value: object) -> None:
    with pytest.raises(BadValue):
        parse_duration(value)


def test_shares() -> None:
    assert parse_share("30%") == pytest.approx(0.3)
    assert parse_share(1) == 1.0
    for bad in ("30", 1.5, -0.1, "130%", True):
        with pytest.raises(BadValue):
            parse_share(bad)


def test_every_mistake_in_a_file_is_reported_in_one_run(checked) -> None:
    result = checked("""\
        journey: Many mistakes
        stages:
          - name: One
            touchpoints:
              - name: A
                effort: 9
                chanel: web
                next: nowhere
              - name: B
                emotion: furious
                wait: 3
        promises:
          - name: P
            made_at: a
            kept_at: elsewhere
        """)
    got = sorted((f.rule, f.span.line) for f in result.findings)
    assert got == [("JM001", 6), ("JM001", 7), ("JM001", 10), ("JM001", 11),
                   ("JM003", 8), ("JM003", 15)]
    assert result.journey is None


def test_default_ids_and_explicit_ids(journey) -> None:
    j = journey("""\
        journey: Ids
        stages:
          - name: First Stage
            touchpoints:
              - name: Call the Support Line
                failures:
                  - name: Line busy
                    to: call-the-support-line
              - name: Done
                id: 42
        """)
    assert [tp.id for tp in j.touchpoints] == ["call-the-support-line", "42"]
    assert j.stages[0].id == "first-stage"
    assert j.id == "journey"  # the file name's slug
    assert j.touchpoints[0].failures[0].id == "line-busy"


def test_next_forms(journey) -> None:
    j = journey("""\
        journey: Next forms
        stages:
          - name: S
            touchpoints:
              - name: a
                next: b
              - name: b
                next: [c, d]
              - name: c
                next:
                  - to: d
                    share: 30%
                    label: gives up
                  - e
              - name: d
                next: []
                failures: [{name: f, to: e}]
              - name: e
        """)
    a, b, c, d, e = j.touchpoints
    assert [s.to for s in a.next] == ["b"] and [s.to for s in b.next] == ["c", "d"]
    assert c.next[0].share == pytest.approx(0.3) and c.next[0].label == "gives up"
    assert c.next[1].share is None and d.next == () and e.next is None


@pytest.mark.parametrize("text,hint", [("2 days", "`2d`"), ("1 hour 30 minutes", "`1h30m`"),
                                       ("5 mins", "`5m`")])
def test_spelled_out_units_get_the_short_form_as_hint(text: str, hint: str) -> None:
    with pytest.raises(BadValue) as bad:
        parse_duration(text)
    assert hint in (bad.value.hint or "")
