"""The HTML report's evidence and four-factor sections: every string from a journey or a CSV is
escaped here, like the rest of the page."""

from __future__ import annotations

from collections import Counter

from journeymap.analysis.factors import UNASSIGNED
from journeymap.analysis.results import Analysis
from journeymap.analysis.wording import number
from journeymap.evidence.measure import figure, interval_text
from journeymap.evidence.report import flag_index, flags
from journeymap.evidence.terminal import FLAG_WORDS, METHODS
from journeymap.render import style as s
from journeymap.render.labels import html

EVIDENCE_INTRO = ("<p>Survey figures on the touchpoints, each with its margin of error at "
                  "{level} confidence ({methods}). A flag marks thin evidence (JM401), a figure "
                  "that contradicts the declared emotion (JM402) or one gone stale (JM403).</p>")


def evidence_section(analysis: Analysis) -> str:
    if not analysis.evidence:
        return ('<p class="empty">No survey evidence: add <code>evidence:</code> to a touchpoint, '
                "or join a CSV with <code>journeymap report --evidence</code>.</p>")
    names = {tp.id: tp.name for tp in analysis.journey.touchpoints}
    rows = []
    index = flag_index(analysis.findings)
    for m in analysis.evidence:
        raised = flags(m, index)
        marks = "".join(f'<span class="sev {f.severity.value}">{html(f.rule)}</span> '
                        f"{html(FLAG_WORDS[f.rule])}<br>"
                        + (f'<span class="hint">{html(f.hint)}</span><br>' if f.hint else "")
                        for f in raised)
        rows.append([html(names.get(m.touchpoint, m.touchpoint)), html(m.name),
                     f"<strong>{html(figure(m, with_n=False))}</strong>", html(interval_text(m)),
                     f"{m.estimate.n:,}", html(m.evidence.source or "—"), html(m.evidence.period or "—"),
                     marks or "—"])
    level = f"{analysis.evidence[0].estimate.confidence * 100:g}%"
    return EVIDENCE_INTRO.format(level=level, methods=METHODS) + _table(
        ["Touchpoint", "Metric", "Figure", "Interval", "n", "Source", "Period", "Flags"], rows)


def factors_section(analysis: Analysis) -> str:
    total = analysis.friction.total
    names = {tp.id: tp.name for tp in analysis.journey.touchpoints}
    rows = []
    for group in analysis.factors:
        share = s.percent(group.friction / total) if total and group.friction else "—"
        places = "; ".join(html(names[tp]) for tp, _ in group.touchpoints[:3]) or "—"
        failures = "".join(f"<li>{html(fid)}{'' if declared else ' (derived)'}</li>"
                           for _, fid, declared in group.failures)
        counts = Counter(f.rule for f in group.findings)
        found = ", ".join(f"{html(rule)}{f' ×{n}' if n > 1 else ''}" for rule, n in sorted(counts.items()))
        pains = "".join(f"<li>{html(text)} <span class=\"hint\">({html(names[tp])})</span></li>"
                        for tp, text in group.pain_points)
        label = html(group.factor) if group.factor != UNASSIGNED else "<em>no factor</em>"
        rows.append([label, number(group.friction), share, places,
                     f"<ul>{failures}</ul>" if failures else "—",
                     f"<ul>{pains}</ul>" if pains else "—", found or "—"])
    intro = ("<p>Satisfaction needs the right product, a caring person, on time, and an effective "
             "resolution when it goes wrong; any one failing spoils the other three. Friction and "
             "findings by the factor they come from (docs/evidence.md explains the mapping), with "
             "the workshop's pain points that name their factor.</p>")
    return intro + _table(["Factor", "Friction", "Share", "Mostly at", "Failures", "Pain points",
                           "Findings"], rows)


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"
