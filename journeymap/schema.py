"""YAML nodes to the typed model: every problem becomes a finding with a position and a hint.

What is allowed where is read from the declaration in :mod:`journeymap.format`.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import replace
from typing import Any, Callable, Iterable, Sequence

from journeymap import values
from journeymap.evidence import fields as evidence_fields
from journeymap.findings import RULES, Finding, did_you_mean, finding
from journeymap.format import EXTENSION_PREFIX, OBJECTS, Key, example
from journeymap.nodes import Node, Restart, plain_text, scalar_value
from journeymap.model import (
    Evidence,
    Failure,
    Journey,
    NO_EXTENSIONS,
    NO_WORKSHOP,
    KeySpans,
    Outcome,
    Persona,
    Promise,
    Span,
    Stage,
    Step,
    Touchpoint,
    Workshop,
)

__all__ = ["Key", "Restart", "build_journey", "build_draft", "journey_builder"]

_SCALAR_PARSERS: dict[str, Callable[[Any], Any]] = {
    "effort": values.parse_effort,
    "emotion": values.parse_emotion,
    "duration": values.parse_duration,
    "share": values.parse_share,
    "lang": values.parse_lang,
    "metric": evidence_fields.parse_metric,
    "count": evidence_fields.parse_count,
    "number": evidence_fields.parse_number,
    "factor": evidence_fields.parse_factor,
}
# Value kinds written as one value or as a list of values.
_LIST_PARSERS: dict[str, Callable[[Any], Any]] = {
    "scale": evidence_fields.parse_scale,
    "counts": evidence_fields.parse_counts,
}

_EAGER_FINDINGS = 5_000  # findings held by stand-ins, at most, before building from the whole tree
# Value kinds whose values repeat from touchpoint to touchpoint: kept once (Builder.share).
_SHARED_KINDS = frozenset({"duration", "share", "texts", "asks"})
_TEXT_KINDS = frozenset({"text", "id", "ref"})  # read by Checker.text
_SHARED_MOST = 20_000
_KIND_WORDS = {"map": "a mapping (key: value lines)", "seq": "a list", "scalar": "a single value"}


class _Invalid(Exception):
    """The value was reported as a finding; the caller uses no value."""


class _Built:
    """A stage or touchpoint built as soon as the loader composed it, standing in the tree for
    its node: what building it gave (None: it was invalid), and what building it added to the
    builder (findings, declared ids, touchpoints counted), replayed when the walk reaches it."""

    __slots__ = ("value", "seen_before", "seen_after", "findings", "owners", "ids", "spans")

    def __init__(self, value: Any, seen_before: int, seen_after: int, added: tuple[list[Any], ...]
                 ) -> None:
        self.value = value
        self.seen_before = seen_before
        self.seen_after = seen_after
        # () for none: most stages and touchpoints add no finding
        findings, owners, ids, spans = added
        self.findings = tuple(findings) if findings else ()
        self.owners = tuple(owners) if owners else ()
        self.ids = tuple(ids)
        self.spans = bytes(spans)  # a line and a column for each id, as in the builder's


class _Builder:
    """Walks one file's node tree, collecting the model and every finding on the way."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []
        # The touchpoint (or `promise:<id>`) being built while a finding is reported: where a
        # draft map marks the gap. None for the journey as a whole.
        self.owner: str | None = None
        self.owners: list[str | None] = []
        # (node, prefix, fallback): the owner, worked out at its first finding (most have none)
        self.owner_of: tuple[Node, str, str] | None = None
        # Touchpoints with an id, in order, and where each is: for duplicates and references.
        self.declared_ids: list[str] = []
        # where each declared touchpoint id was written: a line and a column for each (a Span
        # object for each was the largest thing held while a large journey was read)
        self.declared_spans = array("I")
        self.touchpoints_seen = 0
        # Building as the loader goes (eager_stage, eager_touchpoint): touchpoints built in the
        # stage being composed, not yet counted; all counted by the stages built so far; the
        # provisional id of the stage being composed.
        self.pending = 0
        self.eager_seen = 0
        self.eager_stage_id: tuple[int, str] = (0, "")
        self.eager_findings = 0
        # One object for each value that repeats across touchpoints (a wait of `1d`, `asks: [item
        # 11]`, a failure's id): bounded, as the loader's shared texts are.
        self.shared: dict[Any, Any] = {}

    def report(self, rule: str, message: str, node: Node | None, where: str,
               subject: str | None = None, hint: str | None = None) -> None:
        span = node.span(self.file) if node is not None else Span(self.file, 1, 1)
        text = f"{where}: {message}" if where else message
        self.add(finding(rule, text, span, subject, hint))

    def add(self, found: Finding) -> None:
        if self.owner is None and self.owner_of is not None:
            node, prefix, fallback = self.owner_of
            self.owner = prefix + (_provisional_id(node) or fallback)
        self.findings.append(found)
        self.owners.append(self.owner)

    # -- generic shapes -------------------------------------------------------------------------

    def mapping(self, node: Node, kind: str, where: str) -> dict[str, tuple[Node, Node]]:
        """Check a mapping's keys against OBJECTS[kind]: {key: (key node, value node)}."""
        if node.kind != "map":
            self.report("JM001", f"expected {_KIND_WORDS['map']} for {_a(kind)}, found "
                        f"{_KIND_WORDS[node.kind]}", node, where)
            raise _Invalid
        spec = OBJECTS[kind]
        found: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            name = (plain_text(key) or scalar_value(key)) if key.kind == "scalar" else None
            if isinstance(name, str) and name.startswith(EXTENSION_PREFIX):
                continue  # a team's own field: see extensions()
            if not isinstance(name, str) or name not in spec:
                self.report("JM001", f"unknown key `{_show(key)}` in {_a(kind)}", key, where,
                            hint=_key_hint(name, kind))
                continue
            found[name] = (key, value)
        for name, k in spec.items():
            if k.required and name not in found:
                self.report("JM001", f"{_a(kind)} needs `{name}:` ({k.doc.rstrip('.').lower()})", node,
                            where)
        return found

    def extensions(self, node: Node) -> dict[str, Any]:
        """The mapping's `x-` keys as plain JSON-ready values, in file order (one shared empty
        dict when there are none, as in most)."""
        if node.kind != "map":
            return NO_EXTENSIONS
        return {str(key.value): plain(value) for key, value in node.value
                if key.kind == "scalar" and str(key.value).startswith(EXTENSION_PREFIX)
                and isinstance(scalar_value(key), str)} or NO_EXTENSIONS

    def blank(self, name: str, key: Key | None, node: Node, where: str) -> bool:
        """Report a key written with nothing after it (``emotion:``); True when it was blank.
        ``key`` None: a list is expected."""
        if node.kind != "scalar" or not node.plain or plain_text(node) is not None \
                or scalar_value(node) is not None:
            return False
        wanted = (f"give a value such as `{example(key)}`" if key is not None
                  else "give a list (each item on its own line, starting with `- `)")
        self.report("JM001", f"`{name}` is empty: {wanted}, or remove the key", node, where)
        return True

    def items(self, node: Node, where: str) -> list[Node]:
        if node.kind != "seq":
            self.report("JM001", f"expected {_KIND_WORDS['seq']}, found {_KIND_WORDS[node.kind]}",
                        node, where, hint="start each item on its own line with `- `")
            raise _Invalid
        return list(node.value)

    def scalar(self, node: Node, where: str) -> Any:
        if node.kind != "scalar":
            self.report("JM001", f"expected {_KIND_WORDS['scalar']}, found {_KIND_WORDS[node.kind]}",
                        node, where)
            raise _Invalid
        return scalar_value(node)

    def text(self, node: Node, where: str) -> str:
        value = self.scalar(node, where)
        if value is None or isinstance(value, bool):
            shown = "nothing" if value is None else f"`{node.value}`"
            self.report("JM001", f"expected text, found {shown}", node, where,
                        hint="put the text in quotes if it is meant literally" if value is not None else None)
            raise _Invalid
        text = str(node.value) if not isinstance(value, str) else value
        if not text.strip():
            self.report("JM001", "expected text, found an empty string", node, where)
            raise _Invalid
        return text

    def value(self, kind: str, node: Node, where: str) -> Any:
        if kind in ("text", "id", "ref"):
            return self.text(node, where)
        parsed = _SCALAR_PARSERS.get(kind) or _LIST_PARSERS.get(kind)
        if parsed is not None:
            try:
                return parsed(self.scalar(node, where) if kind in _SCALAR_PARSERS else self.plain(node, where))
            except values.BadValue as bad:
                self.report("JM001", bad.message, node, where, hint=bad.hint)
                raise _Invalid from None
        if kind == "outcome":
            word = self.text(node, where)
            if word not in values.OUTCOMES:
                self.report("JM001", f"outcome `{word}` is neither `success` nor `lost`", node, where,
                            hint=did_you_mean(word, values.OUTCOMES))
                raise _Invalid
            return Outcome(word)
        if kind == "rule":
            rule = self.text(node, where).strip().upper()
            if rule not in RULES:
                self.report("JM001", f"`{node.value}` is not a rule id", node, where,
                            hint=did_you_mean(rule, RULES) or "run `journeymap rules` for the list")
                raise _Invalid
            return rule
        if kind == "texts":
            if node.kind == "map":
                self.report("JM001", "expected text or a list of texts, found a mapping", node, where,
                            hint="write one sentence, or a list with `- ` before each")
                raise _Invalid
            listed = node.value if node.kind == "seq" else [node]
            return tuple(self.text(item, where) for item in listed)
        if kind.startswith("texts:"):
            return self.texts_or_objects(kind.split(":", 1)[1], node, where)
        if kind == "asks":
            if node.kind == "map":
                self.report("JM001", "expected a list of what the customer gives, found a mapping",
                            node, where, hint="write it as a list: [account number, address]")
                raise _Invalid
            listed = node.value if node.kind == "seq" else [node]
            return tuple(self.text(item, where) for item in listed)
        raise AssertionError(f"unknown value kind {kind}")

    def texts_or_objects(self, kind: str, node: Node, where: str) -> tuple[tuple[str, Any], ...]:
        """A text, a ``kind`` mapping (``{text: …, factor: …}``) or a list mixing both: each item
        as (text, its factor or None). Every item's mistakes are reported; valid items are kept."""
        listed = ([(item, f"{where}[{i}]") for i, item in enumerate(node.value, 1)]
                  if node.kind == "seq" else [(node, where)])
        out = []
        for item, at in listed:
            try:
                out.append(self.text_or_object(kind, item, at))
            except _Invalid:
                pass
        return tuple(out)

    def text_or_object(self, kind: str, node: Node, where: str) -> tuple[str, Any]:
        if node.kind != "map":
            return self.text(node, where), None
        fields = self.fields(self.mapping(node, kind, where), kind, where)
        if "text" not in fields:
            raise _Invalid
        return fields["text"], fields.get("factor")

    def plain(self, node: Node, where: str) -> Any:
        """A scalar's value, or a list of scalar values."""
        if node.kind == "seq":
            return [self.scalar(item, where) for item in node.value]
        return self.scalar(node, where)

    def fields(self, found: dict[str, tuple[Node, Node]], kind: str, where: str,
               skip: tuple[str, ...] = ()) -> dict[str, Any]:
        """Parse every simple key present: {key: value}; invalid ones are reported and left out."""
        spec = OBJECTS[kind]
        out: dict[str, Any] = {}
        for name, (_, node) in found.items():
            if name in skip or spec[name].kind.startswith("list:") or spec[name].kind == "next":
                continue
            if spec[name].kind in _TEXT_KINDS and node.kind == "scalar":
                # most values: a plain word, which text() would give back as it is
                text = plain_text(node)
                if text is not None:
                    out[name] = text
                    continue
            if self.blank(name, spec[name], node, where):
                continue
            try:
                value = self.value(spec[name].kind, node, f"{where}.{name}" if where else name)
            except _Invalid:
                continue
            out[name] = self.share(value) if spec[name].kind in _SHARED_KINDS and value else value
        return out

    def share(self, value: Any) -> Any:
        """The one object kept for values equal to ``value`` (never 0.0, which would make -0.0)."""
        shared = self.shared
        value = shared.setdefault(value, value)
        if len(shared) > _SHARED_MOST:
            shared.clear()
        return value

    def list_of(self, found: dict[str, tuple[Node, Node]], key: str, where: str,
                build: Callable[[Node, str], Any]) -> list[Any]:
        if key not in found:
            return []
        path = f"{where}.{key}" if where else key
        if self.blank(key, None, found[key][1], where):
            return []
        try:
            nodes = self.items(found[key][1], path)
        except _Invalid:
            return []
        built = []
        for i, item in enumerate(nodes, 1):
            try:
                built.append(build(item, f"{path}[{i}]"))
            except _Invalid:
                pass
        return built

    def key_spans(self, found: dict[str, tuple[Node, Node]]) -> KeySpans:
        numbers = []
        for _, value in found.values():
            numbers.append(value.line)
            numbers.append(value.column)
        return KeySpans.packed(self.file, tuple(found), numbers)

    # -- the objects ----------------------------------------------------------------------------

    def ident(self, fields: dict[str, Any], where: str, kind: str, position: int | None = None) -> str:
        """The given id, else the slug of the name, else (a name of only symbols or emoji, which
        slugs to nothing) ``kind-N`` from its position, so nothing vanishes unchecked."""
        given = fields.get("id")
        if given is not None:
            return str(given)
        return values.slug(str(fields.get("name", ""))) or f"{kind}-{position or _position(where)}"

    def accept(self, node: Node, where: str) -> tuple[str, str]:
        if node.kind == "scalar":  # the short form `accept: [JM102]` leaves out the reason
            self.report("JM001", f"accepting `{_show(node)}` needs a reason", node, where,
                        hint=f"write `- rule: {_show(node)}` and under it `reason: <why it is accepted>`")
            raise _Invalid
        found = self.mapping(node, "accept", where)
        fields = self.fields(found, "accept", where)
        if "rule" not in fields or "reason" not in fields:
            raise _Invalid
        return fields["rule"], fields["reason"]

    def step(self, node: Node, where: str) -> Step:
        if node.kind == "scalar":
            return Step(self.text(node, where), node.span(self.file))
        found = self.mapping(node, "step", where)
        fields = self.fields(found, "step", where)
        if "to" not in fields:
            raise _Invalid
        return Step(fields["to"], found["to"][1].span(self.file), fields.get("share"), fields.get("label"))

    def next_steps(self, node: Node, where: str) -> tuple[Step, ...]:
        if node.kind == "scalar" and scalar_value(node) is None:
            self.report("JM001", "`next` is empty", node, where,
                        hint="name the next touchpoint's id, or write `next: []` for no next step")
            raise _Invalid
        listed = node.value if node.kind == "seq" else [node]
        steps = []
        for i, item in enumerate(listed, 1):
            try:
                steps.append(self.step(item, f"{where}[{i}]" if node.kind == "seq" else where))
            except _Invalid:
                pass
        self.check_shares([s.share for s in steps], "next", node, where)
        return tuple(steps)

    def check_shares(self, shares: list[float | None], what: str, node: Node, where: str) -> None:
        total = sum(s for s in shares if s is not None)
        if total > 1 + 1e-9:
            self.report("JM001", f"the shares of `{what}` add up to {_over_one(total)}, more than 1", node, where,
                        hint="shares are fractions of the customers at this touchpoint")

    def failure(self, node: Node, where: str) -> Failure:
        found = self.mapping(node, "failure", where)
        fields = self.fields(found, "failure", where)
        if "name" not in fields:
            raise _Invalid
        to_span = found["to"][1].span(self.file) if "to" in found else None
        return Failure(self.share(self.ident(fields, where, "failure")), fields["name"], node.span(self.file),
                       fields.get("share"), fields.get("to"), to_span, self.extensions(node),
                       fields.get("factor"))

    def evidence(self, node: Node, where: str) -> Evidence:
        before = len(self.findings)
        found = self.mapping(node, "evidence", where)
        fields = self.fields(found, "evidence", where)
        if len(self.findings) > before:  # each mistake is reported already
            raise _Invalid
        built, problem = evidence_fields.build_evidence(fields, node.span(self.file))
        if problem is not None:
            if problem.key in found:
                node, where = found[problem.key][1], f"{where}.{problem.key}"
            self.report("JM001", problem.message, node, where, hint=problem.hint)
            raise _Invalid
        return built

    def touchpoint(self, node: Node | _Built, where: str, stage: str) -> Touchpoint:
        if isinstance(node, _Built):
            built: Touchpoint = self.replay(node)
            return built if built.stage == stage else replace(built, stage=stage)
        self.touchpoints_seen += 1  # touchpoint-N counts across the journey, so N is unique
        self.owner_of = (node, "", f"touchpoint-{self.touchpoints_seen}")
        try:
            return self._touchpoint(node, where, stage)
        finally:
            self.owner, self.owner_of = None, None

    def _touchpoint(self, node: Node, where: str, stage: str) -> Touchpoint:
        found = self.mapping(node, "touchpoint", where)
        fields = self.fields(found, "touchpoint", where)
        tp_id = (self.ident(fields, where, "touchpoint", self.touchpoints_seen)
                 if "name" in fields or "id" in fields else "")
        if tp_id:
            self.declared_ids.append(tp_id)
            self.declared_spans += array("I", (node.line, node.column))
        failures = tuple(self.list_of(found, "failures", where, self.failure))
        self.check_shares([f.share for f in failures], "failures", node, where)
        self.unique([f.id for f in failures], lambda k: failures[k].span, "failure",
                    f" of touchpoint `{tp_id}`")
        steps = None
        if "next" in found:
            try:
                steps = self.next_steps(found["next"][1], f"{where}.next")
            except _Invalid:
                steps = ()
        accept = tuple(self.list_of(found, "accept", where, self.accept))
        evidence = tuple(self.list_of(found, "evidence", where, self.evidence))
        if "name" not in fields or not tp_id:
            raise _Invalid
        return Touchpoint(
            tp_id, fields["name"], stage, node.span(self.file), fields.get("channel"),
            fields.get("owner"), fields.get("effort"), fields.get("emotion"), fields.get("wait"),
            fields.get("duration"), fields.get("asks", ()), fields.get("outcome"), steps, failures,
            accept, self.key_spans(found), _workshop(fields), self.extensions(node), evidence,
            fields.get("observed_as", ()))

    def stage(self, node: Node | _Built, where: str) -> Stage:
        if isinstance(node, _Built):
            return self.replay(node)  # type: ignore[no-any-return]
        found = self.mapping(node, "stage", where)
        fields = self.fields(found, "stage", where)
        stage_id = self.ident(fields, where, "stage")
        tps = self.list_of(found, "touchpoints", where,
                           lambda n, w: self.touchpoint(n, w, stage_id))
        if "touchpoints" in found and found["touchpoints"][1].kind == "seq" \
                and not found["touchpoints"][1].value:
            self.report("JM001", "a stage needs at least one touchpoint", found["touchpoints"][1], where)
        if "name" not in fields or not tps:
            raise _Invalid
        return Stage(stage_id, fields["name"], node.span(self.file), tuple(tps), _workshop(fields),
                     self.extensions(node))

    def promise(self, node: Node, where: str) -> Promise:
        self.owner_of = (node, "promise:", f"promise-{_position(where)}")
        try:
            return self._promise(node, where)
        finally:
            self.owner, self.owner_of = None, None

    def _promise(self, node: Node, where: str) -> Promise:
        found = self.mapping(node, "promise", where)
        fields = self.fields(found, "promise", where)
        if not {"name", "made_at", "kept_at"} <= fields.keys():
            raise _Invalid
        return Promise(self.ident(fields, where, "promise"), fields["name"], node.span(self.file),
                       fields["made_at"], fields["kept_at"], fields.get("within"),
                       fields.get("channel"), self.key_spans(found),
                       tuple(self.list_of(found, "accept", where, self.accept)), self.extensions(node))

    def persona(self, node: Node, where: str) -> Persona:
        if node.kind == "scalar":  # `personas: [Home-phone customer]`: names only
            return Persona(self.text(node, where))
        found = self.mapping(node, "persona", where)
        fields = self.fields(found, "persona", where)
        if "name" not in fields:
            raise _Invalid
        return Persona(fields["name"], fields.get("goal"), fields.get("description"),
                       self.extensions(node))

    def journey(self, root: Node | None, default_id: str, draft: bool = False
                ) -> tuple[Journey | None, str]:
        if root is None:
            self.report("JM001", "the file holds no journey", None, "",
                        hint="a journey needs at least `journey:` (its title) and `stages:`")
            return None, default_id
        if root.kind != "map":
            self.report("JM001", f"a journey file is a mapping of keys (journey:, stages:, …), but "
                        f"this one is {_KIND_WORDS[root.kind]}", root, "",
                        hint="start with `journey: <title>` and `stages:`")
            return None, default_id
        self.eager_seen, self.touchpoints_seen = self.touchpoints_seen, 0
        found = self.mapping(root, "journey", "")
        fields = self.fields(found, "journey", "")
        journey_id = str(fields.get("id") or default_id)
        stages = self.list_of(found, "stages", "", self.stage)
        if "stages" in found and found["stages"][1].kind == "seq" and not found["stages"][1].value:
            self.report("JM001", "a journey needs at least one stage", found["stages"][1], "stages")
        promises = self.list_of(found, "promises", "", self.promise)
        accept = tuple(self.list_of(found, "accept", "", self.accept))
        personas = tuple(self.list_of(found, "personas", "", self.persona))
        if self.eager_seen and self.touchpoints_seen != self.eager_seen:
            raise Restart("a stage built as it was composed was not reached")
        known = self.unique(self.declared_ids, self.declared_span, "touchpoint", "")
        self.unique([p.id for p in promises], lambda k: promises[k].span, "promise", "")
        self.resolve(stages, promises, known)
        if not stages and "stages" in found and not self.findings:  # never a journey of nothing
            self.report("JM001", "no stage could be read", found["stages"][1], "stages")
        failed = any(f.severity.value == "error" for f in self.findings)
        if draft and stages:  # a half-finished wall still shows: what was built, gaps left out
            failed = False
            fields.setdefault("journey", journey_id)
            stages = _distinct_ids(stages)
        if failed or "journey" not in fields:
            return None, journey_id
        return Journey(self.file, journey_id, fields["journey"], root.span(self.file), tuple(stages),
                       tuple(promises), fields.get("persona"), fields.get("goal"),
                       fields.get("lang"), accept, personas, fields.get("notes", ()),
                       self.extensions(root)), journey_id

    # -- as the loader goes (journeymap.nodes.Eager) ---------------------------------------------

    def eager_stage(self, node: Node, index: int) -> _Built | Node:
        """Build stage ``index`` now; its touchpoints were built already, and are replayed.
        Anything but a mapping is left to the walk: it is a small node, and one finding."""
        if node.kind != "map":
            return node
        before = self.touchpoints_seen
        built = self._recorded(lambda: self.stage(node, f"stages[{index}]"))
        self.pending = 0
        return _Built(built[0], before, self.touchpoints_seen, built[1])

    def eager_touchpoint(self, node: Node, stage: int, index: int,
                         stage_pairs: list[tuple[Node, Node]]) -> _Built | Node:
        """Build touchpoint ``index`` of stage ``stage`` now, its stage not yet read to its end:
        its stage id is a provisional one (from the stage's keys so far), set right on replay."""
        if node.kind != "map":
            self.pending += 1  # counted when the walk reaches it
            return node
        where = f"stages[{stage}]"
        if self.eager_stage_id[0] != stage:
            self.eager_stage_id = (stage, self._provisional_stage_id(stage_pairs, where))
        walked = self.touchpoints_seen
        self.touchpoints_seen = before = walked + self.pending
        try:
            value, record = self._recorded(
                lambda: self.touchpoint(node, f"{where}.touchpoints[{index}]", self.eager_stage_id[1]))
            return _Built(value, before, self.touchpoints_seen, record)
        finally:
            self.touchpoints_seen = walked
            self.pending += 1

    def eager_reset(self) -> None:
        self.touchpoints_seen = self.pending = self.eager_findings = 0
        self.eager_stage_id = (0, "")

    def _recorded(self, build: Callable[[], Any]) -> tuple[Any, tuple[list[Any], ...]]:
        """What ``build`` gives (None if invalid), and what it added: findings, their owners,
        declared ids and their spans."""
        saved = self.findings, self.owners, self.declared_ids, self.declared_spans
        self.findings, self.owners, self.declared_ids, self.declared_spans = [], [], [], array("I")
        try:
            try:
                value = build()
            except _Invalid:
                value = None
            self.eager_findings += len(self.findings)  # a touchpoint's counted again in its stage
            if self.eager_findings > _EAGER_FINDINGS:
                # a file of countless broken items: the findings would outgrow the tree they replace
                raise Restart("too many findings to hold while loading")
            return value, (self.findings, self.owners, self.declared_ids, self.declared_spans)
        finally:
            self.findings, self.owners, self.declared_ids, self.declared_spans = saved

    def _provisional_stage_id(self, pairs: list[tuple[Node, Node]], where: str) -> str:
        scratch = _Builder(self.file)  # its findings are not this builder's: the stage's own come later
        found = scratch.mapping(Node("map", list(pairs), 1, 1), "stage", where)
        return scratch.ident(scratch.fields(found, "stage", where), where, "stage")

    def replay(self, built: _Built) -> Any:
        """Add what building ``built`` added, and give what it gave (raising _Invalid for None)."""
        if self.touchpoints_seen != built.seen_before:
            raise Restart("stages or touchpoints were not walked in the order they were built")
        self.touchpoints_seen = built.seen_after
        self.findings.extend(built.findings)
        self.owners.extend(built.owners)
        self.declared_ids.extend(built.ids)
        self.declared_spans.frombytes(built.spans)
        if built.value is None:
            raise _Invalid
        return built.value

    # -- across the journey ---------------------------------------------------------------------

    def unique(self, ids: Sequence[str], span: Callable[[int], Span], what: str, scope: str
               ) -> dict[str, int]:
        """Report ids given twice (``span(k)``: where ``ids[k]`` was given); every id with the
        place of its first in ``ids``."""
        first: dict[str, int] = {}
        for k, ident in enumerate(ids):
            at = first.setdefault(ident, k)
            if at != k:
                self.add(finding(
                    "JM002", f"{what} id `{ident}`{scope} is used twice (first at line {span(at).line})",
                    span(k), ident, hint="give one of them its own `id:`"))
        return first

    def declared_span(self, k: int) -> Span:
        """Where the ``k``-th declared touchpoint id was written."""
        return Span(self.file, self.declared_spans[2 * k], self.declared_spans[2 * k + 1])

    def resolve(self, stages: list[Stage], promises: list[Promise], known: dict[str, int]) -> None:
        """Report references to no touchpoint's id (``known``: every touchpoint id)."""
        names: dict[str, str] = {}  # made at the first unknown reference: most journeys have none

        def check(ref: str, span: Span, what: str, subject: str) -> None:
            if ref in known:
                return
            if not names:
                names.update((tp.name.strip().lower(), tp.id) for s in stages for tp in s.touchpoints)
            by_name = names.get(ref.strip().lower())
            hint = (f"that is a touchpoint's name; its id is `{by_name}`" if by_name
                    else did_you_mean(ref, known))
            self.add(finding("JM003", f"{what} `{ref}`: no touchpoint has this id", span, subject, hint))

        for tp in (tp for s in stages for tp in s.touchpoints):
            self.owner = tp.id
            for step in tp.next or ():
                check(step.to, step.span, f"`next` of `{tp.id}` names", tp.id)
            for f in tp.failures:
                if f.to is not None and f.to_span is not None:
                    check(f.to, f.to_span, f"failure `{f.id}` of `{tp.id}` goes to", f.id)
        for p in promises:
            self.owner = f"promise:{p.id}"
            check(p.made_at, p.key_spans["made_at"], f"promise `{p.id}` is made at", p.id)
            check(p.kept_at, p.key_spans["kept_at"], f"promise `{p.id}` is kept at", p.id)
        self.owner = None


def _workshop(fields: dict[str, Any]) -> Workshop:
    given = {name: fields[name] for name in Workshop.__slots__ if name in fields}
    if "pain_points" in given:  # (text, factor) pairs: the texts, and the factors beside them
        pains = given["pain_points"]
        given["pain_points"] = tuple(text for text, _ in pains)
        if any(factor for _, factor in pains):
            given["pain_factors"] = tuple(factor for _, factor in pains)
    return Workshop(**given) if given else NO_WORKSHOP


def _provisional_id(node: Node) -> str | None:
    """The id a touchpoint or promise node will get (its `id`, else the slug of its `name`),
    read before the node is validated, to tell which one a finding is about."""
    if node.kind != "map":
        return None
    given = {str(k.value): v for k, v in node.value if k.kind == "scalar"}
    for key, derive in (("id", str), ("name", values.slug)):
        value = given.get(key)
        if value is not None and value.kind == "scalar" and value.value.strip():
            return derive(value.value) or None
    return None


def plain(node: Node) -> Any:
    """A node as plain JSON-ready data (an `x-` field's value): numbers JSON cannot hold stay text."""
    if node.kind == "seq":
        return [plain(item) for item in node.value]
    if node.kind == "map":
        return {str(k.value) if k.kind == "scalar" else "…": plain(v) for k, v in node.value}
    value = scalar_value(node)
    if isinstance(value, float) and not math.isfinite(value):
        return node.value
    return value


def _position(where: str) -> int:
    """N of the last ``[N]`` in a breadcrumb such as ``stages[2].touchpoints[3]``."""
    index = where.rsplit("[", 1)[-1].rstrip("]")
    return int(index) if index.isdigit() else 1


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind.replace('_', ' ')}"


def _show(key: Node) -> str:
    return str(key.value) if key.kind == "scalar" else "…"


def _key_hint(name: Any, kind: str) -> str:
    if not isinstance(name, str):
        return f"keys of {_a(kind)} are: " + ", ".join(OBJECTS[kind])
    close = did_you_mean(name, OBJECTS[kind])
    if close:
        return close
    owners = [k for k, spec in OBJECTS.items() if name in spec and k != kind]
    if owners:
        return f"`{name}` belongs to {_a(owners[0])}; check the indentation"
    return f"keys of {_a(kind)} are: " + ", ".join(OBJECTS[kind])


def _over_one(total: float) -> str:
    """A sum just over 1 with the digits that show it is (``1.0000001``, not ``1``)."""
    for digits in range(4, 18):
        shown = f"{total:.{digits}g}"
        if float(shown) > 1:
            return shown
    return repr(total)


def journey_builder(file: str) -> _Builder:
    """A builder to give the loader (``eager``) and then to :func:`build_journey`: it builds
    each stage and touchpoint as soon as it is composed, so the whole node tree is never held."""
    return _Builder(file)


def build_journey(root: Node | None, file: str, default_id: str, builder: _Builder | None = None
                  ) -> tuple[Journey | None, str, list[Finding]]:
    """The journey in ``root`` (None when any error was found), its id, and every finding.
    ``builder``: the one the loader was given as ``eager`` for this tree (it may raise
    :class:`Restart`: load the file again without it)."""
    builder = builder or _Builder(file)
    journey, journey_id = builder.journey(root, default_id)
    return journey, journey_id, builder.findings


def build_draft(root: Node | None, file: str, default_id: str
                ) -> tuple[Journey | None, str, list[tuple[Finding, str | None]]]:
    """Like :func:`build_journey`, but a journey with errors is still built from what is valid
    (blank and bad values left out, unknown references dropped by the graph, duplicate ids made
    distinct). Each finding comes with where it belongs: a touchpoint id, ``promise:<id>``, or
    None for the journey as a whole. None only when not even one stage could be built."""
    builder = _Builder(file)
    journey, journey_id = builder.journey(root, default_id, draft=True)
    return journey, journey_id, list(zip(builder.findings, builder.owners))


def _distinct_ids(stages: list[Stage]) -> list[Stage]:
    """Touchpoints sharing an id get ``-2``, ``-3``…, so a draft map can still tell them apart."""
    seen: set[str] = set()

    def distinct(tp: Touchpoint) -> Touchpoint:
        ident, n = tp.id, 1
        while ident in seen:
            n += 1
            ident = f"{tp.id}-{n}"
        seen.add(ident)
        return tp if ident == tp.id else replace(tp, id=ident)

    return [replace(st, touchpoints=tuple(distinct(tp) for tp in st.touchpoints)) for st in stages]
