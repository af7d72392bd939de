"""Arabic, Persian-style RTL and Thai maps render to PNG and PDF with real glyphs, not tofu boxes.

The PNG check is a controlled experiment: the same Thai label drawn with fontconfig limited to
Noto Sans (no Thai: pango draws hex boxes), limited to Noto Sans + Noto Sans Thai, and with the
system's fonts. The system render must be the Thai-font render, and must differ from the boxes.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from render_fakes import fake_analysis

from journeymap.check import validate_file
from journeymap.render import render_map
from journeymap.render.labels import dot_html
from journeymap.render.style import FONT

FIXTURES = Path(__file__).parent / "fixtures" / "render"
THAI = "ติดตามพัสดุและคืนเงิน"
pytestmark = pytest.mark.skipif(shutil.which("dot") is None or shutil.which("fc-match") is None,
                                reason="Graphviz `dot` or fontconfig `fc-match` is not installed")


def font_files(family: str) -> list[str]:
    """The regular and bold files of ``family``, as fontconfig finds them."""
    files = []
    for style in ("Regular", "Bold"):
        done = subprocess.run(["fc-match", "-f", "%{family}\t%{file}", f"{family}:style={style}"],
                              capture_output=True, text=True, check=True)
        found, path = done.stdout.split("\t")
        assert family in found.split(","), f"{family} is not installed (scripts/setup.sh installs it)"
        files.append(path)
    return files


def fontconfig_with(tmp_path: Path, families: list[str]) -> Path:
    """A fontconfig file that knows only ``families``."""
    folder = tmp_path / "-".join(f.replace(" ", "") for f in families)
    folder.mkdir()
    for family in families:
        for file in font_files(family):
            (folder / Path(file).name).symlink_to(file)
    conf = folder / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{folder}</dir>'
                    f"<cachedir>{folder}/cache</cachedir></fontconfig>\n", encoding="utf-8")
    return conf


def draw(label: str, conf: Path | None = None) -> bytes:
    source = f'digraph {{ n [shape=plaintext, fontname="{FONT}", label=<{dot_html(label)}>] }}'
    env = {"PATH": "/usr/bin:/bin", **({"FONTCONFIG_FILE": str(conf)} if conf else {})}
    return subprocess.run([str(shutil.which("dot")), "-Tpng"], input=source.encode(), capture_output=True, check=True,
                          env=env).stdout


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_thai_png_has_real_glyphs_not_tofu(tmp_path: Path) -> None:
    tofu = draw(THAI, fontconfig_with(tmp_path, ["Noto Sans"]))
    thai = draw(THAI, fontconfig_with(tmp_path, ["Noto Sans", "Noto Sans Thai"]))
    system = draw(THAI)
    assert tofu != thai
    assert system == thai  # the system draws Thai with Noto Sans Thai's glyphs
    assert png_size(tofu)[0] > png_size(thai)[0] * 1.5  # hex boxes are much wider than letters


def render(name: str, fmt: str) -> bytes:
    journey = validate_file(str(FIXTURES / name)).journey
    assert journey is not None
    return render_map(fake_analysis(journey), fmt)


def pdf_fonts(pdf: bytes) -> set[str]:
    return {m.decode() for m in re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", pdf)}


@pytest.mark.parametrize(("name", "script_font"), [("thai.yaml", "NotoSansThai"),
                                                    ("arabic.yaml", "NotoSansArabic")])
def test_rtl_and_thai_maps_render_to_png_and_pdf_with_noto(name: str, script_font: str) -> None:
    png = render(name, "png")
    width, height = png_size(png)
    assert width > 800 and height > 300
    pdf = render(name, "pdf")
    assert pdf.startswith(b"%PDF")
    fonts = pdf_fonts(pdf)
    assert any(f.startswith(script_font) for f in fonts), fonts
    assert any(f.startswith("NotoSans-") for f in fonts), fonts


def test_arabic_map_flows_right_to_left() -> None:
    svg = render("arabic.yaml", "svg").decode()
    positions = {m[1]: float(m[0]) for m in
                 re.findall(r'<text text-anchor="[a-z]+" x="([\d.-]+)"[^>]*>([^<]+)</text>', svg)}
    assert positions["التقديم"] > positions["الاستلام"]  # the first stage is on the right
