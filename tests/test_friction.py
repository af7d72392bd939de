"""Friction: each component moves the score the right way, traffic weighs it, hotspots rank it."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.analysis.analyse import analyse
from journeymap.analysis.friction import COMPONENTS, DEFAULT_WEIGHTS, score_friction
from journeymap.check import check_file
from journeymap.config import DEFAULT, Config
from journeymap.graph import build_graph

REPO = Path(__file__).parent.parent

# Two steps; the second ("here") is the one under test, with the keys each test gives it.
PAIR = """
journey: Pair
stages:
  - name: S
    touchpoints:
      - name: Before
        id: before
        channel: web
        owner: Sales
        asks: [account number]
        failures: [{name: x, to: after}]
      - name: Here
        id: here
        HERE
      - {name: After, id: after, outcome: success}
"""


def pair(*keys: str) -> str:
    """PAIR with ``keys`` on `Here`, which is on the web and run by Sales unless they say otherwise."""
    given = list(keys)
    for key, default in (("channel", "channel: web"), ("owner", "owner: Sales")):
        if not any(k.startswith(key + ":") for k in given):
            given.append(default)
    return PAIR.replace("HERE", "\n        ".join(given))


def scores(journey, text: str, config: Config = DEFAULT):
    result, found = score_friction(build_graph(journey(text)), config)
    return {s.touchpoint: s for s in result.touchpoints}, result, found


def here(journey, *keys: str):
    found, _, _ = scores(journey, pair(*keys))
    return found["here"]


@pytest.mark.parametrize("component, calm, rough", [
    ("effort", "effort: 1", "effort: 4"),
    ("emotion", "emotion: neutral", "emotion: frustrated"),
    ("emotion", "emotion: frustrated", "emotion: angry"),
    ("waiting", "wait: 1h", "wait: 3d"),
    ("channel_switch", "channel: WEB", "channel: phone"),
    ("hand_off", "owner: sales", "owner: Billing"),
    ("asked_again", "asks: [visit date]", "asks: [visit date, Account Number]"),
    ("loop", "effort: 1", "failures: [{name: redo, share: 0.3, to: here}]"),
    ("failure", "failures: [{name: lost, share: 0.1, to: after}]",
     "failures: [{name: lost, share: 0.4, to: after}]"),
])
def test_each_component_moves_the_score_up(journey, component: str, calm: str, rough: str) -> None:
    gentle, harsh = here(journey, calm), here(journey, rough)
    assert harsh.components[component] > gentle.components[component]
    assert harsh.friction > gentle.friction
    assert component in harsh.why


def test_delight_does_not_buy_back_friction(journey) -> None:
    neutral, delighted = here(journey, "emotion: neutral"), here(journey, "emotion: delighted")
    assert delighted.friction == neutral.friction == 0


def test_a_rough_touchpoint_outranks_a_calm_one(journey) -> None:
    text = """
    journey: Rough and calm
    stages:
      - name: S
        touchpoints:
          - {name: Start, id: start, channel: web, owner: Sales, asks: [account number]}
          - {name: Calm, id: calm, channel: web, owner: Sales, effort: 1, emotion: pleased}
          - name: Rough
            id: rough
            channel: phone
            owner: Contact centre
            effort: 5
            emotion: angry
            wait: 1d
            asks: [account number]
            failures: [{name: x, share: 0.05, to: done}]
          - {name: Done, id: done, outcome: success}
    """
    scored, result, found = scores(journey, text)
    assert result.ranked[0] == "rough"
    assert result.ranked.index("rough") < result.ranked.index("calm")
    assert result.hotspots == ("rough",)
    assert sorted(f.rule for f in found) == ["JM301", "JM302"]
    assert scored["calm"].friction == 0
    assert {c for c, v in scored["rough"].components.items() if v} == {
        "effort", "emotion", "waiting", "channel_switch", "hand_off", "asked_again", "failure"}


BRANCH = """
journey: Weighted
stages:
  - name: S
    touchpoints:
      - name: Fork
        id: fork
        channel: phone
        next: [{to: often, share: 0.7}, {to: rarely, share: 0.3}]
        failures: [{name: x, share: 0, to: rarely}]
      - {name: Often, id: often, effort: 5, channel: phone, next: join}
      - {name: Rarely, id: rarely, effort: 5, channel: web, next: join}
      - {name: Join, id: join, channel: web, outcome: success}
"""


def test_traffic_weights_the_contribution(journey) -> None:
    scored, result, _ = scores(journey, BRANCH)
    often, rarely = scored["often"], scored["rarely"]
    assert rarely.friction > often.friction  # rarely also switches channel…
    assert often.traffic == pytest.approx(0.7, abs=1e-9) and rarely.traffic == pytest.approx(0.3, abs=1e-9)
    assert often.contribution == pytest.approx(0.7 * often.friction, abs=1e-9)
    assert result.total == pytest.approx(sum(s.contribution for s in scored.values()), abs=1e-9)
    assert often.contribution > rarely.contribution  # … but few customers pass it
    assert result.ranked.index("often") < result.ranked.index("rarely")


def test_a_switch_counts_by_the_customers_who_make_it(journey) -> None:
    # join (web) is reached from often (phone, 70% of arrivals) and rarely (web, 30%)
    scored, _, _ = scores(journey, BRANCH)
    assert scored["join"].components["channel_switch"] == pytest.approx(0.7 * DEFAULT_WEIGHTS["channel_switch"],
                                                                        abs=1e-9)
    assert scored["rarely"].components["channel_switch"] == pytest.approx(DEFAULT_WEIGHTS["channel_switch"])
    assert scored["fork"].components["channel_switch"] == 0  # the start: customers arrive from outside


NESTED = (REPO / "tests" / "fixtures" / "scoring" / "nested-loops.yaml").read_text(encoding="utf-8")


def test_traffic_through_nested_loops(journey) -> None:
    scored, _, _ = scores(journey, NESTED)
    assert scored["a"].traffic == pytest.approx(4 / 3, abs=1e-9)  # 1 / (1 - 0.25)
    assert scored["b"].traffic == pytest.approx(4 / 3 / 0.7, abs=1e-9)  # each pass of A, 1/0.7 of B
    assert scored["c"].traffic == pytest.approx(4 / 3, abs=1e-9)
    assert scored["kept"].traffic == pytest.approx(0.65 * 4 / 3, abs=1e-9)
    # the loop component: the share of arrivals sent back from later on the loop
    assert scored["a"].components["loop"] == pytest.approx(DEFAULT_WEIGHTS["loop"] * 0.25, abs=1e-9)
    assert scored["b"].components["loop"] == pytest.approx(DEFAULT_WEIGHTS["loop"] * 0.3, abs=1e-9)
    assert scored["c"].components["loop"] == 0


RECOVERY = """
journey: Recovery
stages:
  - name: S
    touchpoints:
      - {name: Order, id: order, channel: web, owner: Sales}
      - name: Deliver
        id: deliver
        channel: web
        owner: Sales
        FAILURES
      - {name: Done, id: done, channel: web, owner: Sales, outcome: success}
      - name: Apology and a gift
        id: apology
        channel: web
        owner: Sales
        emotion: delighted
        next: done
"""


def test_a_recovered_failure_never_scores_better_than_no_failure(journey) -> None:
    calm, calm_result, _ = scores(journey, RECOVERY.replace("FAILURES", "next: done"))
    hit, hit_result, _ = scores(journey, RECOVERY.replace(
        "FAILURES", "failures: [{name: Late, share: 0.2, to: apology}]"))
    assert hit["deliver"].friction > calm["deliver"].friction
    assert hit["apology"].friction >= 0
    assert hit_result.total > calm_result.total


def test_config_weights_and_threshold(journey) -> None:
    text = pair("effort: 5")
    default, result, _ = scores(journey, text)
    heavier, _, _ = scores(journey, text, Config(weights={"effort": 4.0}))
    assert heavier["here"].components["effort"] == 2 * default["here"].components["effort"]
    assert result.hotspots == ()
    _, low, found = scores(journey, text, Config(hotspot_threshold=1.0))
    assert low.hotspots == ("here",) and [f.rule for f in found] == ["JM301"]
    assert set(default["here"].components) == set(COMPONENTS)


def test_asked_again_on_a_loop_names_the_earlier_pass(journey) -> None:
    text = """
    journey: Form
    stages:
      - name: S
        touchpoints:
          - name: Fill in the form
            id: form
            asks: [address]
            failures: [{name: Rejected, share: 0.2, to: form}]
          - {name: Done, id: done, outcome: success}
    """
    scored, _, found = scores(journey, text)
    assert [f.rule for f in found] == ["JM302"]
    assert "address (given here before)" in found[0].message
    assert scored["form"].components["asked_again"] == DEFAULT_WEIGHTS["asked_again"]


def test_analyse_collects_every_finding_once(journey) -> None:
    analysis = analyse(journey(pair("asks: [account number]")))
    assert [f.rule for f in analysis.findings] == ["JM302"]
    assert [t.touchpoint for t in analysis.friction.touchpoints] == ["before", "here", "after"]


EXAMPLES = sorted((REPO / "journeys").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_journeys_have_no_hotspot_noise(path: Path) -> None:
    """The defaults are calibrated on the examples: only the 'before' technician story is hot."""
    hot = [f.subject for f in check_file(str(path)).findings if f.rule == "JM301"]
    if path.stem == "technician-visit":
        assert hot == ["call-ahead", "chase-missed-visit"]
    else:
        assert hot == []


# A loop customers never leave (`a` ⇄ `b`: every share goes round again), whose `b` also has a
# failure without a share to `c`: a path, but one that carries nobody. `c` is reached from the
# start by half the customers, on another channel and by another owner.
CLOSED_LOOP = """
journey: Closed loop
stages:
  - name: S
    touchpoints:
      - name: Start
        id: start
        channel: web
        owner: Sales
        next:
          - {to: a, share: 0.5}
          - {to: c, share: 0.5}
      - {name: A, id: a, channel: web, owner: Sales, effort: 4, next: [b]}
      - name: B
        id: b
        channel: mail
        owner: Support
        failures: [{name: escalated, to: c}]
        next: [a]
      - {name: C, id: c, channel: phone, owner: Billing, outcome: success}
"""


def test_a_closed_loop_gives_defined_scores_outside_it(journey) -> None:
    """The loop's visits are infinite; a move without a share carries none of them (∞ × 0 made
    every component it touched NaN: `c`'s channel switch and hand-off, its friction, the total)."""
    import math

    found, result, _ = scores(journey, CLOSED_LOOP)
    c = found["c"]
    assert c.traffic == 0.5
    # everyone arriving at `c` comes from the start (web, Sales): a whole switch and hand-off
    assert c.components["channel_switch"] == 1.0 and c.components["hand_off"] == 1.0
    assert c.friction == 2.0 and c.contribution == 1.0
    for scored in result.touchpoints:
        values = (scored.friction, scored.traffic, scored.contribution, *scored.components.values())
        assert not any(math.isnan(v) for v in values), scored
    # the loop itself: infinite visits, and contributions that say so
    assert math.isinf(found["a"].traffic) and math.isinf(found["a"].contribution)
    assert math.isinf(result.total)


def test_asked_again_walks_each_item_only_as_far_as_its_askers(journey, monkeypatch) -> None:
    """Each item's nearest-source search stops once every touchpoint asking for it has its
    source: 300 items each asked at two neighbouring steps of a 600-step journey label a few
    touchpoints each, not the whole journey each (which was 300 × 600 = 180,000)."""
    from journeymap.analysis import asks

    labelled = []

    class Counting(asks._Nearest):
        def clear(self) -> None:
            labelled.append(sum(1 for source in self.label if source >= 0))
            super().clear()
            assert all(source < 0 for source in self.label)  # ready for the next item

    monkeypatch.setattr(asks, "_Nearest", Counting)
    lines = ["journey: Asked twice", "stages:", "  - name: S", "    touchpoints:"]
    lines += [f"      - {{name: T{i}, id: t{i}, asks: [item {i // 2}]}}" for i in range(600)]
    again = asks.asked_again(build_graph(journey("\n".join(lines) + "\n")))
    assert len(again) == 300 and again["t1"] == (asks.AskedAgain("item 0", "t0"),)
    assert len(labelled) == 300 and sum(labelled) <= 4 * 600, sum(labelled)
