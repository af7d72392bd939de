"""Journey maps: DOT source from the model and its analysis, drawn by Graphviz, or an HTML report.

Two views: ``map`` (:func:`journeymap.render.mapview.map_dot`, placed by the layout and drawn by
``neato -n2``) and ``flow`` (:func:`journeymap.render.dot.journey_dot`, laid out by ``dot``).
DOT (pure) → ``run_dot`` (Graphviz) → ``write_atomic``; ``report_html`` wraps the SVG.

This file only names the package's entry points; they live in ``maps`` (a journey file or its
analysis to bytes). Modules inside the package import each other, never this file.
"""

from journeymap.render.maps import VIEWS, Options, Rendered, draw, render_file, render_map
from journeymap.render.page import PAGES

__all__ = ["PAGES", "VIEWS", "Options", "Rendered", "draw", "render_file", "render_map"]
