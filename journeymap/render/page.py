"""Paper sizes for `render --page`: ISO A sizes, landscape, in millimetres."""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Page:
    name: str
    width_mm: float
    height_mm: float

    @property
    def inches(self) -> tuple[float, float]:
        return self.width_mm / MM_PER_INCH, self.height_mm / MM_PER_INCH

    @property
    def size(self) -> str:
        """Graphviz's ``size`` attribute: scale the drawing (up or down) to the paper."""
        width, height = self.inches
        return f"{width:.4f},{height:.4f}!"


PAGES = {name: Page(name, w, h) for name, w, h in
         (("a4", 297, 210), ("a3", 420, 297), ("a2", 594, 420), ("a1", 841, 594), ("a0", 1189, 841))}
