"""Generated pictures for the demo data: book covers and photos of handwritten notes.

Everything is drawn locally and deterministically (same arguments, same bytes), so the
demo needs no network and a re-seeded database is identical.
"""
from __future__ import annotations

import functools
import io
import math
import random
import subprocess
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_NOTO_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk")
# Face order inside the Noto Sans CJK collections is JP, KR, SC, TC, HK: SC has the
# simplified glyph shapes.
_NOTO_SC_INDEX = 2

# (background, text, accent): deep red, navy, dark green, ochre, charcoal.
_COVER_PALETTES = (
    ("#B71C1C", "#FFF6E5", "#F0C45C"),
    ("#1C2B4A", "#F5F1E6", "#C9A65A"),
    ("#1E4D3A", "#F3EFE2", "#D8B86A"),
    ("#B07A22", "#2A1C0C", "#5A3A10"),
    ("#2F3033", "#EFEAE0", "#C0392B"),
)
_INKS = ("#1B2A4E", "#22262E", "#1D3A6B")


@functools.lru_cache(maxsize=2)
def _font_file(bold: bool) -> tuple[str, int] | None:
    """(path, face index) of a font with simplified Chinese glyphs, or None."""
    weight = "Bold" if bold else "Regular"
    for directory in _NOTO_DIRS:
        known = Path(directory) / f"NotoSansCJK-{weight}.ttc"
        if known.is_file():
            return str(known), _NOTO_SC_INDEX
    pattern = "Noto Sans CJK SC:lang=zh-cn" + (":bold" if bold else "")
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{index}\t%{lang}", pattern],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.split("\t")
        file, index, langs = found[0], int(found[1]), found[2]
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        file, index, langs = "", 0, ""
    # fc-match always answers with some font; only take one that covers Chinese.
    if "zh-cn" in langs.split("|") and Path(file).is_file():
        return file, index
    return _font_file(False) if bold else None


@functools.lru_cache(maxsize=64)
def cjk_font(size: int, bold: bool = False) -> Font:
    """A font that can draw Chinese at `size` px, else Pillow's default font."""
    found = _font_file(bold)
    if found is not None:
        try:
            return ImageFont.truetype(found[0], size, index=found[1])
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def _drawable(text: str) -> str:
    # Without a CJK font Chinese would come out as boxes; leave such text off instead.
    return text if text.isascii() or _font_file(False) is not None else ""


@functools.lru_cache(maxsize=8192)
def _advance(font: Font, char: str) -> float:
    return font.getlength(char)


def _wrap(text: str, font: Font, width: float) -> list[str]:
    """Break `text` into lines no wider than `width`, by characters (Chinese has no spaces)."""
    lines: list[str] = []
    line, used = "", 0.0
    for char in text.replace("\n", " "):
        if not line and char.isspace():
            continue
        advance = _advance(font, char)
        if line and used + advance > width:
            lines.append(line)
            line, used = ("", 0.0) if char.isspace() else (char, advance)
        else:
            line, used = line + char, used + advance
    if line:
        lines.append(line)
    return lines


def _balance(lines: list[str], font: Font, width: float) -> list[str]:
    """Same number of lines, evened out, so a title never ends on one orphaned character."""
    if not lines:
        return lines
    text = "".join(lines)
    per_line = -(-len(text) // len(lines))
    even = [text[i:i + per_line] for i in range(0, len(text), per_line)]
    fits = len(even) == len(lines) and all(font.getlength(line) <= width for line in even)
    return even if fits else lines


@functools.lru_cache(maxsize=4096)
def _glyph(font: Font, char: str) -> tuple[Image.Image, int, int]:
    """Rendered mask of one character and its offset, so repeated characters cost a paste."""
    left, top, right, bottom = font.getbbox(char)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=255)
    return mask, left, top


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _mix(color: str, other: str, amount: float) -> tuple[int, int, int]:
    """`color` moved `amount` (0..1) of the way towards `other`."""
    (r, g, b), (r2, g2, b2) = ImageColor.getrgb(color)[:3], ImageColor.getrgb(other)[:3]
    return round(r + (r2 - r) * amount), round(g + (g2 - g) * amount), round(b + (b2 - b) * amount)


def _title_layout(title: str, width: float, max_lines: int, start: int) -> tuple[Font, int, list[str]]:
    """Largest bold size (from `start` down) at which `title` fits in `max_lines` lines."""
    size = start
    while True:
        font = cjk_font(size, bold=True)
        lines = _wrap(title, font, width)
        if len(lines) <= max_lines or size <= 14:
            return font, size, _balance(lines[:max_lines], font, width)
        size -= 4


def book_cover(title: str, author: str, *, seed: int, size: tuple[int, int] = (360, 480)) -> bytes:
    """JPEG of a plain, dignified book cover showing `title` and `author`."""
    rng = random.Random(seed)
    background, ink, accent = _COVER_PALETTES[rng.randrange(len(_COVER_PALETTES))]
    width, height = size
    unit = width / 360  # every measure below is designed for a 360 px wide cover
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)

    # A faint texture keeps a flat colour from looking like a placeholder.
    texture = _mix(background, ink, 0.07)
    step = max(4, round(rng.choice((9, 12, 15)) * unit))
    if rng.random() < 0.5:
        for x in range(-height, width, step):
            draw.line([(x, 0), (x + height, height)], fill=texture, width=1)
    else:
        for y in range(step // 2, height, step):
            for x in range(step // 2, width, step):
                draw.point((x, y), fill=texture)

    spine = round(18 * unit)
    draw.rectangle([0, 0, spine, height], fill=_mix(background, "#000000", 0.3))
    draw.line([(spine + 1, 0), (spine + 1, height)], fill=_mix(background, "#FFFFFF", 0.15), width=1)

    left, right = spine + round(16 * unit), width - round(16 * unit)
    top, bottom = round(16 * unit), height - round(16 * unit)
    draw.rectangle([left, top, right, bottom], outline=accent, width=max(1, round(2 * unit)))
    inset = round(6 * unit)
    draw.rectangle([left + inset, top + inset, right - inset, bottom - inset], outline=accent, width=1)

    centre = (left + right) / 2
    emblem_y, emblem_r = top + round(58 * unit), round(12 * unit)
    draw.regular_polygon((centre, emblem_y, emblem_r), 4, fill=accent)
    for side in (-1, 1):
        start = centre + side * (emblem_r + round(8 * unit))
        draw.line([(start, emblem_y), (start + side * round(60 * unit), emblem_y)], fill=accent, width=1)

    title_font, title_size, lines = _title_layout(
        _drawable(title), right - left - round(40 * unit), max_lines=4, start=round(46 * unit)
    )
    leading = round(title_size * 1.35)
    y = top + round(150 * unit) - leading * len(lines) / 2 + round(20 * unit)
    for line in lines:
        draw.text((centre - title_font.getlength(line) / 2, y), line, font=title_font, fill=ink)
        y += leading

    band_y = bottom - round(96 * unit)
    draw.rectangle([left + inset, band_y, right - inset, band_y + round(4 * unit)], fill=accent)
    author_font = cjk_font(round(18 * unit))
    author_line = (_wrap(_drawable(author), author_font, right - left - round(30 * unit)) or [""])[0]
    draw.text(
        (centre - author_font.getlength(author_line) / 2, band_y + round(30 * unit)),
        author_line, font=author_font, fill=ink,
    )
    return _jpeg(image, quality=90)


def note_photo(text: str, *, seed: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """JPEG that looks like a photo of `text` handwritten on ruled paper lying on a desk."""
    rng = random.Random(seed)
    width, height = size
    unit = width / 640
    desk = rng.choice(("#6E5B48", "#5D5F63", "#7A6A55"))
    photo = Image.new("RGB", size, desk)
    draw = ImageDraw.Draw(photo)

    # The paper lies slightly askew, as in a quick phone snapshot. Everything is drawn at
    # rotated coordinates instead of rotating a bitmap: resampling would cost several times
    # the rest of the picture, and glyphs turned by at most 3 degrees look the same unturned.
    paper_w, paper_h = width * 0.9, height * 0.96
    turn = math.radians(rng.uniform(-3.0, 3.0))
    cos, sin = math.cos(turn), math.sin(turn)

    def at(u: float, v: float) -> tuple[float, float]:
        """Photo position of point (u, v) measured from the paper's top left corner."""
        u, v = u - paper_w / 2, v - paper_h / 2
        return width / 2 + u * cos - v * sin, height / 2 + u * sin + v * cos

    corners = [at(0, 0), at(paper_w, 0), at(paper_w, paper_h), at(0, paper_h)]
    offset = 5 * unit
    draw.polygon([(x + offset, y + offset * 1.4) for x, y in corners], fill=_mix(desk, "#000000", 0.35))
    # An outline halfway between paper and desk softens the stair-stepped edge.
    draw.polygon(corners, fill="#F7F3E8", outline=_mix("#F7F3E8", desk, 0.5))
    spacing, first, margin = 34 * unit, 64 * unit, 62 * unit
    rows = int((paper_h - first) // spacing) + 1
    for row in range(rows):
        y = first + row * spacing
        draw.line([at(1, y), at(paper_w - 1, y)], fill="#A9C0DE", width=1)
    draw.line([at(margin, 1), at(margin, paper_h - 1)], fill="#E4A3A3", width=1)

    # Per-character wobble stands in for a handwriting font, which the machine lacks.
    font_size = round(24 * unit)
    font = cjk_font(font_size)
    ink = ImageColor.getrgb(rng.choice(_INKS))
    lines = _wrap(_drawable(text), font, paper_w - margin - 40 * unit)[: rows - 1]
    for row, line in enumerate(lines):
        x = margin + 12 * unit + rng.uniform(-2, 2)
        baseline = first + row * spacing - font_size * 1.1
        slope = rng.uniform(-0.012, 0.012)
        for char in line:
            mask, left, top = _glyph(font, char)
            px, py = at(x + left, baseline + slope * (x - margin) + rng.uniform(-1.5, 1.5) + top)
            photo.paste(ink, (round(px), round(py)), mask)
            x += _advance(font, char) + rng.uniform(-0.5, 1.5)

    # Uneven light plus a little mottling keep it from looking rendered; both are smooth,
    # so they are worked out at a quarter of the size.
    small = (max(1, width // 4), max(1, height // 4))
    light = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize(small)
    grain = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    shade = Image.blend(light, grain, 0.15).point(lambda v: v * 50 // 255)
    photo.paste((0, 0, 0), (0, 0), shade.resize(size, Image.Resampling.BILINEAR))
    return _jpeg(photo, quality=85)
