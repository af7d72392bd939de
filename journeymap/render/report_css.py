"""The report's style sheet: screen and print, left-to-right and right-to-left (logical properties)."""

from __future__ import annotations

from journeymap.render import style as s

CSS = f"""
:root {{ --ink: {s.INK}; --muted: {s.MUTED}; --line: {s.HAIRLINE}; --band: {s.STAGE_FILL}; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0 auto; max-width: 1400px; padding: 24px 32px 48px; color: var(--ink);
  font: 15px/1.5 "Noto Sans", "Noto Sans Arabic", "Noto Sans Thai", "Noto Sans Hebrew",
  system-ui, sans-serif; background: #fff; }}
h1 {{ font-size: 30px; margin: 0 0 8px; line-height: 1.25; }}
h2 {{ font-size: 20px; margin: 36px 0 12px; padding-block-end: 4px; border-block-end: 2px solid var(--ink); }}
.meta {{ display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 16px;
  color: var(--muted); }}
.meta dt {{ font-weight: 600; }} .meta dd {{ margin: 0; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 10px; padding: 0; margin: 0; list-style: none; }}
.cards li {{ border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; background: var(--band);
  color: var(--muted); }}
.cards strong {{ display: block; font-size: 22px; color: var(--ink); }}
figure {{ margin: 0; }}
.map {{ border: 1px solid var(--line); border-radius: 8px; padding: 8px; overflow: auto; }}
.map svg {{ display: block; max-width: 100%; height: auto; margin: 0 auto; }}
/* Graphviz and the chart place text for left-to-right anchors; RTL text still shapes right to left. */
.map svg, .chart svg {{ direction: ltr; }}
/* Each paragraph or cell orders its text by its own first letter: English report text keeps its
   full stop at the end in an RTL page, an Arabic name reads right to left in an LTR one. */
p, figcaption, td, li, h1, footer {{ unicode-bidi: plaintext; }}
.map.wide svg {{ max-width: none; }}
figcaption {{ color: var(--muted); font-size: 13px; margin-block-start: 6px; }}
.chart {{ overflow-x: auto; }}
.chart svg {{ display: block; width: 100%; min-width: 640px; height: auto; font-size: 11px;
  fill: var(--ink); }}
.map {{ margin-block: 8px 20px; }}
/* the map and the curve take the whole window, wider than the text column */
#map, #emotion .chart {{ width: calc(100vw - 32px); margin-inline-start: calc(50% - 50vw + 16px); }}
.chart .stage {{ font-weight: 600; font-size: 12px; }}
.chart .axis {{ font-size: 11px; font-weight: 600; }}
table {{ border-collapse: collapse; width: 100%; font-size: 14px; }}
th, td {{ text-align: start; vertical-align: top; padding: 6px 10px; border-block-end: 1px solid #e4e7eb; }}
th {{ background: var(--band); font-weight: 600; }}
td ul {{ margin: 0; padding-inline-start: 18px; }}
.status, .sev {{ display: inline-block; border-radius: 10px; padding: 0 9px; color: #fff; font-size: 12px;
  font-weight: 600; white-space: nowrap; }}
.sev.error {{ background: {s.FAILURE}; }} .sev.warning {{ background: #b26a00; }}
.sev.info {{ background: #2b6cb0; }}
.hint {{ color: var(--muted); font-size: 13px; }}
.swatch {{ display: inline-block; width: 12px; height: 12px; border: 1px solid var(--line);
  border-radius: 3px; margin-inline-end: 6px; vertical-align: -1px; }}
.empty {{ color: var(--muted); font-style: italic; }}
footer {{ margin-top: 40px; color: var(--muted); font-size: 12px; }}
@page {{ size: A3 landscape; margin: 12mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 11pt; }}
  /* page 1 is the title and the map, scaled to the page; the figures follow on page 2 */
  h1 {{ font-size: 18pt; margin: 0 0 4pt; }}
  #map {{ break-after: page; }}
  #map, #emotion .chart {{ width: 100%; margin-inline-start: 0; }}
  #map svg {{ max-height: 230mm; width: auto; max-width: 100%; }}
  .map, .chart {{ overflow: visible; border: none; padding: 0; }}
  .map svg, .map.wide svg, .chart svg {{ max-width: 100%; height: auto; }}
  section {{ break-inside: auto; }} h2 {{ break-after: avoid; }}
  tr, figure, .cards li {{ break-inside: avoid; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""
