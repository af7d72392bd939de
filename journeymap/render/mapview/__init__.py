"""The journey-map view: stages across, lanes down, the emotion curve through them (issue 12)."""

from journeymap.render.mapview.build import LANES, PAGES, Page, map_dot, map_dot_bytes, write_map_dot

__all__ = ["LANES", "PAGES", "Page", "map_dot", "map_dot_bytes", "write_map_dot"]
