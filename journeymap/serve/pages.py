"""The HTML of workshop mode: the index of journeys and one journey's page (pure functions).

Every string from a journey passes through :func:`journeymap.render.labels.html`; the map is the
renderer's SVG (Graphviz escapes its own text). The pages load one script, the server's own
``/assets/live.js``, and the Content-Security-Policy the server sends forbids every other, so a
label can never run as code. Each page is a shell around a ``<main>`` that the script replaces
with a fresh fragment when the server says the journey changed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from urllib.parse import quote

from journeymap.analysis.results import Analysis, PromiseResult
from journeymap.analysis.wording import number
from journeymap.findings import Finding
from journeymap.render.labels import html
from journeymap.render.marks import drivers
from journeymap.render.style import percent
from journeymap.serve.workspace import JourneyView
from journeymap.values import format_duration


def journey_href(rel: str) -> str:
    # a file name that is not UTF-8 reaches Python with surrogate escapes: keep its bytes
    return "/j/" + quote(rel, safe="/", errors="surrogateescape")


def fragment_href(rel: str) -> str:
    return "/api/j/" + quote(rel, safe="/", errors="surrogateescape")


def shell(title: str, main: str, feed: str, version: int) -> str:
    """A full page around ``main``; ``feed`` is where the script fetches a newer ``main``."""
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html(title)}</title>\n"
            '<link rel="icon" href="data:,">\n<link rel="stylesheet" href="/assets/serve.css">\n'
            '<script src="/assets/live.js" defer></script>\n</head>\n'
            f'<body data-feed="{html(feed)}" data-version="{version}">\n'
            '<nav class="bar"><a href="/">All journeys</a>'
            '<span id="live" class="live" role="status">connecting…</span></nav>\n'
            f'<main id="content">\n{main}\n</main>\n</body>\n</html>\n')


def page_title(view: JourneyView | None) -> str:
    return f"{view.title} — journeymap" if view else "Journeys — journeymap"


# --- the index ---------------------------------------------------------------------------------

def index_main(root: str, views: Iterable[JourneyView], skipped: Iterable[tuple[str, str]] = ()) -> str:
    """The list of every journey: title, persona, file, errors, warnings, hotspots, broken promises;
    then the names that look like journeys but are not files that can be read (``skipped``)."""
    rows = [_index_row(v) for v in views]
    notes = "".join(f'<li data-skipped="{html(rel)}"><code>{html(rel)}</code>: {html(why)}</li>'
                    for rel, why in skipped)
    aside = (f'\n<section id="skipped"><h2>Not read</h2><ul>{notes}</ul></section>' if notes else "")
    head = (f'<h1>Journeys in <code dir="auto">{html(root)}</code></h1>\n'
            f'<p class="lede">{len(rows)} journey{"" if len(rows) == 1 else "s"}; this page and '
            "every journey page update by themselves as files are saved.</p>")
    if not rows:
        return head + ('\n<p class="empty">No journey files (<code>*.yaml</code>, <code>*.yml</code>) '
                       "here yet: save one and it appears.</p>") + aside
    th = "".join(f"<th>{h}</th>" for h in ("Journey", "Persona", "File", "Errors", "Warnings",
                                           "Hotspots", "Broken promises"))
    return (f'{head}\n<table class="index"><thead><tr>{th}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody></table>" + aside)


def _index_row(view: JourneyView) -> str:
    note = ""
    if not view.valid:
        note = ' <span class="badge bad">does not validate</span>'
    elif view.failure:
        note = ' <span class="badge bad">could not be drawn</span>'
    cells = [f'<a href="{html(journey_href(view.rel))}" dir="auto">{html(view.title)}</a>{note}',
             f'<span dir="auto">{html(view.persona or "")}</span>',
             f"<code>{html(view.rel)}</code>",
             _count(view.errors, "bad"), _count(view.warnings, "warn"),
             _count(view.hotspots, "warn"), _count(view.broken_promises, "bad")]
    state = "stale" if not view.valid else "ok"
    tds = "".join(f"<td>{c}</td>" for c in cells)
    return f'<tr class="{state}" data-rel="{html(view.rel)}">{tds}</tr>'


def _count(n: int | None, tone: str) -> str:
    if n is None:
        return '<span class="none">—</span>'
    return f'<span class="n {tone if n else "zero"}">{n}</span>'


# --- one journey -------------------------------------------------------------------------------

def journey_main(view: JourneyView) -> str:
    """A journey's page content: problems of the latest save, the (last good) map, the findings,
    the hotspots and the promises."""
    parts = [_heading(view), _problems(view), _map(view)]
    if view.valid:
        passed = "No findings: the journey passes every check."
        parts.append(_section("Findings", "findings", _finding_list(view.findings, view.rel, passed)))
    if view.drawing:
        analysis = view.drawing.analysis
        suffix = " (from the last good save)" if view.stale else ""
        parts.append(_section("Friction hotspots" + suffix, "hotspots", _hotspots(analysis)))
        parts.append(_section("Promises" + suffix, "promises", _promises(analysis)))
    return "\n".join(p for p in parts if p)


def _heading(view: JourneyView) -> str:
    lang = view.drawing.analysis.journey.lang if view.drawing else None
    said_in = f' lang="{html(lang)}"' if lang else ""
    facts = [f'Persona: <span dir="auto"{said_in}>{html(view.persona)}</span>'] if view.persona else []
    facts.append(f"<code>{html(view.rel)}</code>")
    return (f'<header class="journey"><h1 dir="auto"{said_in}>{html(view.title)}</h1>'
            f'<p class="meta">{" · ".join(facts)}</p></header>')


def _problems(view: JourneyView) -> str:
    when = _clock(view.drawing.drawn_at) if view.drawing else ""
    if not view.valid:
        errors = view.errors
        kept = (f"the map below is the last good one, drawn at {when}" if view.drawing
                else "there is no map yet: fix these and save")
        title = f"The last save has {errors} error{'' if errors == 1 else 's'}: {kept}."
        return (f'<section class="problems" id="problems" role="alert"><h2>{title}</h2>'
                f"{_finding_list(view.findings, view.rel, '')}</section>")
    if view.failure:
        kept = (f"the map below is the last good one, drawn at {when}" if view.drawing
                else "there is no map yet")
        return (f'<section class="problems" id="problems" role="alert"><h2>The latest save could not be '
                f"drawn: {kept}.</h2><p>{html(view.failure)}</p></section>")
    return ""


def _map(view: JourneyView) -> str:
    if view.drawing is None:
        return '<figure class="map empty" id="map"><p>No map yet.</p></figure>'
    stale = " stale" if view.stale else ""
    return (f'<figure class="map{stale}" id="map" data-drawn="{view.drawing.drawn_at:.3f}">'
            f"{view.drawing.svg}</figure>")


def _section(title: str, anchor: str, content: str) -> str:
    return f'<section id="{anchor}"><h2>{html(title)}</h2>\n{content}\n</section>'


def _finding_list(findings: Iterable[Finding], rel: str, empty: str) -> str:
    items = [_finding(f, rel) for f in findings]
    if not items:
        return f'<p class="empty">{empty}</p>'
    return '<ul class="findings">' + "".join(items) + "</ul>"


def _finding(f: Finding, rel: str) -> str:
    where = f"{rel}:{f.span.line}:{f.span.column}" if f.span else rel
    hint = f'<span class="hint" dir="auto">{html(f.hint)}</span>' if f.hint else ""
    return (f'<li class="finding {f.severity.value}"><code class="where">{html(where)}</code> '
            f'<span class="sev">{f.severity.value}</span> <span class="rule">{html(f.rule)}</span> '
            f'<span class="msg" dir="auto">{html(f.message)}</span>{hint}</li>')


def _hotspots(analysis: Analysis) -> str:
    by_id = {f.touchpoint: f for f in analysis.friction.touchpoints}
    stages = {st.id: st.name for st in analysis.journey.stages}
    items = []
    for tp_id in analysis.friction.hotspots:
        f, tp = by_id.get(tp_id), analysis.journey.by_id.get(tp_id)
        if f is None or tp is None:
            continue
        why = "; ".join(html(d) for d in drivers(f, 3))
        items.append(f'<li><strong dir="auto">{html(tp.name)}</strong> '
                     f'<span class="stage" dir="auto">{html(stages.get(tp.stage, tp.stage))}</span> '
                     f'<span class="adds">adds {number(f.contribution)}</span>'
                     f'<span class="why" dir="auto">{why}</span></li>')
    if not items:
        return '<p class="empty">No touchpoint is above the hotspot threshold.</p>'
    return '<ol class="hotspots">' + "".join(items) + "</ol>"


def _promises(analysis: Analysis) -> str:
    results = {p.promise: p for p in analysis.promises}
    rows = [_promise_row(analysis, p.id, p.name, p.made_at, p.kept_at, p.within, results.get(p.id))
            for p in analysis.journey.promises]
    if not rows:
        return '<p class="empty">This journey makes no promises.</p>'
    th = "".join(f"<th>{h}</th>" for h in ("Promise", "Made at → kept at", "Within", "Status",
                                           "Customers in time", "Fastest", "Why"))
    return f'<table class="promises"><thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _promise_row(analysis: Analysis, pid: str, name: str, made_at: str, kept_at: str,
                 within: float | None, result: PromiseResult | None) -> str:
    def tp_name(tp_id: str) -> str:
        tp = analysis.journey.by_id.get(tp_id)
        return html(tp.name if tp else tp_id)

    cells = [f'<span dir="auto">{html(name)}</span>',
             f'<span dir="auto">{tp_name(made_at)}</span> → <span dir="auto">{tp_name(kept_at)}</span>',
             format_duration(within) if within is not None else "—"]
    if result is None:
        cells += ["not scored", "—", "—", ""]
    else:
        fastest = "never" if result.fastest_seconds is None else format_duration(result.fastest_seconds)
        why = "".join(f'<li dir="auto">{html(r)}</li>' for r in result.reasons)
        cells += [f'<span class="status {result.status.value}">{result.status.value}</span>',
                  percent(result.probability), fastest, f"<ul>{why}</ul>" if why else ""]
    return f'<tr data-promise="{html(pid)}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _clock(when: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(when))


def not_found_page() -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title>'
            '<link rel="icon" href="data:,"></head><body><p>Not found. <a href="/">All journeys</a>'
            "</p></body></html>\n")
