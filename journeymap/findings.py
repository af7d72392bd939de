"""Findings are data: the rule catalogue, one finding, and the collected result of a run."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING

from journeymap.model import Journey, Span

if TYPE_CHECKING:
    from collections.abc import Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, never a reason to fail (e.g. JM403, evidence gone stale)


@dataclass(frozen=True, slots=True)
class Rule:
    """A check's stable id and its documentation (the source for docs, SARIF and `rules`)."""

    id: str
    title: str
    severity: Severity
    description: str
    bad: str = ""
    good: str = ""


def _rule(id: str, title: str, severity: Severity, description: str,
          bad: str = "", good: str = "") -> Rule:
    return Rule(id, title, severity, description.strip(), bad.strip("\n"), good.strip("\n"))


E, W = Severity.ERROR, Severity.WARNING

RULES: dict[str, Rule] = {r.id: r for r in (
    _rule("JM001", "invalid journey", E, """
The file is not a valid journey: YAML syntax, a wrong type, a missing required key, an unknown key
or a bad value. Every such mistake in a file is reported, each at its own line and column.""",
          bad="""
stages:
  - name: Report
    touchpoints:
      - name: Call the support line
        chanel: phone          # unknown key: did you mean `channel`?
        effort: 7              # effort is 1..5""",
          good="""
journey: Fix a silent phone line
stages:
  - name: Report
    touchpoints:
      - name: Call the support line
        channel: phone
        effort: 4"""),
    _rule("JM002", "duplicate id or key", E, """
Two touchpoints (or two promises, or two failures of one touchpoint) share an id, or one mapping
gives the same key twice. YAML loaders usually keep the last value silently; journeymap does not.""",
          bad="""
      - name: Call us
        channel: phone
        channel: chat""",
          good="""
      - name: Call us
        channel: phone"""),
    _rule("JM003", "unknown touchpoint", E, """
`next`, a failure's `to`, or a promise's `made_at`/`kept_at` names a touchpoint id that the journey
does not have. The message suggests the closest id.""",
          bad="""
        next: rebok""",
          good="""
        next: rebook"""),
    _rule("JM101", "failure without recovery", E, """
A failure strands its customers: it has no `to`, or no path from its `to` leads back to a
`success` outcome. A map with only the happy path is a map of hope: design the recovery.""",
          bad="""
        failures:
          - name: Parcel lost in transit     # no `to`: where do these customers go?""",
          good="""
        failures:
          - name: Parcel lost in transit
            share: 0.02
            to: reship                     # a touchpoint with a path to success"""),
    _rule("JM102", "no failures declared", E, """
The journey declares no failures anywhere, so it designs no recovery. Every real journey has
expected failures (absences, peaks, lost items); declare them and where their customers go.""",
          bad="""
stages:
  - name: Buy
    touchpoints:
      - name: Order online
      - name: Receive parcel""",
          good="""
stages:
  - name: Buy
    touchpoints:
      - name: Order online
      - name: Receive parcel
        failures:
          - name: Parcel lost
            to: order-online"""),
    _rule("JM103", "dead end", E, """
A touchpoint with no next step and no outcome: customers who reach it are stuck. Give it `next`
or mark it with `outcome: success` or `outcome: lost`.""",
          bad="""
      - name: Wait for a call back
        next: []""",
          good="""
      - name: Wait for a call back
        next: call-back"""),
    _rule("JM104", "unreachable touchpoint", W, """
No path from the start of the journey reaches this touchpoint, so no customer ever sees it.
Usually a missing `next` or failure `to` that should lead here.""",
          bad="""
      - name: Order
        next: pay
      - name: Gift wrap          # nothing leads here
      - name: Pay""",
          good="""
      - name: Order
        next: [gift-wrap, pay]
      - name: Gift wrap
      - name: Pay"""),
    _rule("JM105", "no success reachable", E, """
No path from the start reaches a `success` outcome: no customer can ever get what they came for.""",
          bad="""
      - name: Apply
        outcome: lost""",
          good="""
      - name: Apply
      - name: Approved
        outcome: success"""),
    _rule("JM106", "next shares add up to less than 1", W, """
Every entry of a touchpoint's `next` gives a share, and the shares add up to less than 1 (after
the failures take theirs). journeymap scales them up so that no customer vanishes between two
steps: `0.6` and `0.2` become 75% and 25%. If some customers really leave here, say where they
go (a `lost` touchpoint, or a failure); if the shares are meant to split everyone, make them add
up to 1, or leave one entry without a share to take the rest.""",
          bad="""
        next:
          - {to: rebook, share: 0.6}
          - {to: refund, share: 0.2}   # and the other 20%?""",
          good="""
        next:
          - {to: rebook, share: 0.6}
          - {to: refund, share: 0.2}
          - {to: gives-up, share: 0.2}"""),
    _rule("JM201", "promise never kept", E, """
No path from the touchpoint where the promise is made (`made_at`) reaches the touchpoint that
keeps it (`kept_at`), including a promise "kept" before it is made.""",
          bad="""
promises:
  - name: We call you back
    made_at: call-back       # kept before it is made
    kept_at: complaint""",
          good="""
promises:
  - name: We call you back
    made_at: complaint
    kept_at: call-back"""),
    _rule("JM202", "promise always late", E, """
Even the fastest path from `made_at` reaches `kept_at` later than `within`. Elapsed time runs from
the end of `made_at` to the start of `kept_at`: every `wait` and `duration` in between plus the
`wait` of `kept_at`.""",
          bad="""
    within: 14d       # but the complaints team waits 8w before calling""",
          good="""
    within: 8w"""),
    _rule("JM203", "promise at risk", W, """
Some customers (by share) never reach `kept_at`, or reach it later than `within`.""",
          bad="""
      - name: Send the heads-up SMS
        failures:
          - name: SMS not delivered
            share: 0.1
            to: missed-delivery""",
          good="""
      - name: Send the heads-up SMS
        failures:
          - name: SMS not delivered
            share: 0.1
            to: call-instead      # which then keeps the promise"""),
    _rule("JM204", "promise on the wrong channel", E, """
The promise names a `channel` and the touchpoint that keeps it uses another one
(compared case-insensitively).""",
          bad="""
  - name: We call your mobile before we arrive
    kept_at: call-ahead      # whose channel is `home phone`
    channel: mobile""",
          good="""
  - name: We call your mobile before we arrive
    kept_at: call-ahead      # whose channel is `mobile`
    channel: mobile"""),
    _rule("JM301", "friction hotspot", W, """
A touchpoint's friction contribution (its friction weighted by the share of customers who pass
it) is above the configured threshold. The report explains which components drive it.""",
          bad="""
      - name: Call again to chase
        channel: phone
        effort: 5
        emotion: angry
        wait: 2d""",
          good="""
      - name: Get a proactive status SMS
        channel: sms
        effort: 1"""),
    _rule("JM302", "asked again", W, """
The customer is asked for something they already gave on the way to this touchpoint.""",
          bad="""
      - name: Call support
        asks: [account number]
      - name: Book a visit
        asks: [account number]""",
          good="""
      - name: Call support
        asks: [account number]
      - name: Book a visit        # the agent already has it"""),
    _rule("JM400", "evidence file problem", E, """
A row of the CSV given to `journeymap report --evidence` cannot be used: an unknown touchpoint id,
a count that is negative or not a number, counts that do not add up, a missing column. The finding
points at the CSV's line; the row is left out and the rest of the file is still joined.""",
          bad="""
touchpoint,metric,responses,satisfied
call-suport,csat,240,198        # no touchpoint `call-suport`
book-visit,csat,40,52           # more satisfied than responses""",
          good="""
touchpoint,metric,responses,satisfied
call-support,csat,240,198
book-visit,csat,52,40"""),
    _rule("JM401", "thin evidence", W, """
A survey figure's margin of error is wider than the configured bound (`max-margin` in the
`[evidence]` settings, ±10 points by default): too few answers to tell much. Shares use the Wilson
interval, NPS the adjusted-Wald one, means Student's t; the hint says how many answers would do.""",
          bad="""
        evidence:
          - metric: csat
            responses: 24         # 79% ± 15.6 points
            satisfied: 19""",
          good="""
        evidence:
          - metric: csat
            responses: 240        # 79% ± 5.1 points
            satisfied: 190"""),
    _rule("JM402", "evidence contradicts the emotion", W, """
The declared emotion is on one side of neutral and the survey's whole interval on the other:
declared pleased or delighted, yet even the interval's top is below the satisfied threshold (CSAT),
below NPS 0, or below the middle of the scale (a mean); or declared frustrated or angry and even
its bottom is above. Workshop guesses should yield to what customers say.""",
          bad="""
      - name: Technician visit
        emotion: pleased
        evidence:
          - metric: csat
            responses: 300
            satisfied: 150      # 50%: wholly below the 70% threshold""",
          good="""
      - name: Technician visit
        emotion: frustrated
        evidence:
          - metric: csat
            responses: 300
            satisfied: 150"""),
    _rule("JM403", "stale evidence", Severity.INFO, """
The evidence's `period` ended longer ago than `max-age` in the `[evidence]` settings. Off until
`max-age` is set. The period's last date is read from forms like 2025-07-01..2025-09-30, 2025-Q3,
Sep 2025, 2025-09 or 2025; a period without a date is not judged.""",
          bad="""
          - metric: nps
            period: 2022-Q1        # with max-age = "52w"
            promoters: 120
            passives: 50
            detractors: 30""",
          good="""
          - metric: nps
            period: 2025-Q3
            promoters: 120
            passives: 50
            detractors: 30"""),
    _rule("JM501", "declared share not what customers do", W, """
With `check --observed EVENTS`: the share a flow or failure declares lies outside the 95 % (Wilson)
interval of the share observed in the event log, counted over the customers who were at the
touchpoint. The journey says one thing, the customers do another; `journeymap observe --calibrate`
writes the observed shares into a copy for review.""",
          bad="""
      - name: Reference and callback date by email
        failures:
          - name: Email bounces
            share: 5%        # the log: 12.1% of 20,000 customers (11.7%–12.6%)
            to: reference-by-sms""",
          good="""
      - name: Reference and callback date by email
        failures:
          - name: Email bounces
            share: 12%       # inside the observed interval
            to: reference-by-sms"""),
    _rule("JM502", "undeclared move taken", W, """
With `check --observed EVENTS`: customers in the event log go from one touchpoint straight to
another where the journey declares no such step, and more than the allowed share of cases do it
(`--undeclared-share`, 5 % by default). An undeclared loop or a skipped step: declare it, or find
out why customers take it.""",
          bad="""
      - name: Engineer services the boiler
        id: service-visit
        # the log: 8% of cases go from here back to `chase-call`""",
          good="""
      - name: Engineer services the boiler
        id: service-visit
        failures:
          - name: Customer chases the written answer
            share: 8%
            to: chase-call"""),
    _rule("JM503", "promise kept less often than declared", E, """
With `check --observed EVENTS`: the share of customers who got a promise in time, observed in the
event log, is below the probability the journey declares for it, by more than the 95 % (Wilson)
interval allows. The promise is being broken more often than the map says.""",
          bad="""
promises:
  - name: We call you back within 8 weeks
    made_at: log-complaint
    kept_at: complaints-callback     # the log: 71% of 5,000 customers in time (70%–72%),
    within: 8w                       # the journey's chain says 100%""",
          good="""
promises:
  - name: We call you back within 8 weeks
    made_at: log-complaint
    kept_at: complaints-callback     # the log: 99.9% in time, as declared
    within: 8w"""),
)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing `check` found, about one subject, at one place in one file."""

    rule: str
    severity: Severity
    message: str
    span: Span | None = None
    subject: str | None = None
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        span = self.span
        return (span.file if span else "", span.line if span else 0,
                span.column if span else 0, self.rule)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest of ``choices`` to ``word``, or None when none is close."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def finding(rule: str, message: str, span: Span | None = None, subject: str | None = None,
            hint: str | None = None) -> Finding:
    """A finding with its rule's default severity."""
    return Finding(rule, RULES[rule].severity, message, span, subject, hint)


class Counted:
    """``errors``, ``warnings`` and ``infos`` among the ``findings`` of the class it is mixed into."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.WARNING)

    @property
    def infos(self) -> int:
        return count(self.findings, Severity.INFO)


def count(findings: Iterable[Finding], severity: Severity) -> int:
    """How many of ``findings`` are of ``severity``."""
    return sum(1 for f in findings if f.severity is severity)


@dataclass(frozen=True)
class FileResult(Counted):
    """What one file produced: its journey (when it loaded) and its findings, in file order."""

    file: str
    findings: tuple[Finding, ...]
    journey: Journey | None = None
    journey_id: str | None = None


@dataclass(frozen=True)
class RunResult:
    files: tuple[FileResult, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def infos(self) -> int:
        return sum(f.infos for f in self.files)

    @property
    def exit_code(self) -> int:
        """0 when no finding is an error, 1 otherwise (2 is for usage errors, decided by the CLI)."""
        return 1 if self.errors else 0


_RUNS_MERGED = 64  # more runs than this are sorted at once
_SORT_KEY = attrgetter("sort_key")


def sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """``findings`` by file, line, column and rule; findings that tie keep their order.

    They mostly come in runs already in that order (each check's, in file order): the runs are
    found and merged, which holds a sort key for each run, not one for each finding (a key and
    the position it is made from were about 120 bytes, for 70,000 findings at the peak of a large
    journey's `check`). Merging the runs in their order, ties going to the earlier run, gives what
    a stable sort gives. Findings in more than a few runs are sorted at once."""
    items = findings if isinstance(findings, (list, tuple)) else list(findings)
    starts = [0]
    last = None
    for k, found in enumerate(items):
        key = found.sort_key
        if last is not None and key < last:
            if len(starts) == _RUNS_MERGED:
                return tuple(sorted(items, key=_SORT_KEY))
            starts.append(k)
        last = key
    if len(starts) == 1:
        return tuple(items)
    ends = [*starts[1:], len(items)]
    runs = [(items[k] for k in range(start, end)) for start, end in zip(starts, ends)]
    return tuple(heapq.merge(*runs, key=_SORT_KEY))
