"""The rule catalogue as text: a table for `journeymap rules`, one rule explained for `rules JM101`."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from journeymap.findings import Rule


def examples(rule: Rule) -> list[tuple[str, str]]:
    """The rule's examples as ``(label, yaml)``, dedented so they read on their own."""
    pairs = (("Bad", rule.bad), ("Good", rule.good))
    return [(label, textwrap.dedent(example)) for label, example in pairs if example]


def rule_table(rules: Iterable[Rule]) -> str:
    """One line a rule: id, default severity, title."""
    return "".join(f"{r.id}  {r.severity.value:<7}  {r.title}\n" for r in rules)


def explain(rule: Rule) -> str:
    """A rule's title, default severity, documentation and its bad and good examples."""
    parts = [f"{rule.id}: {rule.title} (default severity: {rule.severity.value})", rule.description]
    for label, example in examples(rule):
        parts.append(f"{label}:\n{textwrap.indent(example, '    ')}")
    return "\n\n".join(parts) + "\n"
