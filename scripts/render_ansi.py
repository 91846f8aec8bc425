#!/usr/bin/env python3
"""Renders a `tmux capture-pane -e` dump (text with SGR escapes) to a PNG.

Usage: render_ansi.py CAPTURE.txt OUT.png [COLUMNS ROWS]
Needs Pillow and a monospace TrueType font (Debian: fonts-dejavu-core).
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT_PATHS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
]
BACKGROUND = (24, 26, 33)
FOREGROUND = (215, 218, 224)
PALETTE = {
    30: (40, 42, 54), 31: (235, 90, 90), 32: (110, 210, 120), 33: (235, 200, 90),
    34: (100, 150, 240), 35: (210, 120, 220), 36: (90, 200, 220), 37: (215, 218, 224),
}
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def parse(line):
    """Yields (character, style) for one captured line."""
    style = {"fg": None, "bold": False, "dim": False, "reverse": False}
    position = 0
    for match in SGR.finditer(line):
        for ch in line[position:match.start()]:
            yield ch, dict(style)
        codes = [int(c) if c else 0 for c in match.group(1).split(";")] or [0]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code == 0:
                style = {"fg": None, "bold": False, "dim": False, "reverse": False}
            elif code == 1:
                style["bold"] = True
            elif code == 2:
                style["dim"] = True
            elif code == 7:
                style["reverse"] = True
            elif code in (22,):
                style["bold"] = style["dim"] = False
            elif code == 27:
                style["reverse"] = False
            elif 30 <= code <= 37:
                style["fg"] = PALETTE[code]
            elif 90 <= code <= 97:
                style["fg"] = PALETTE[code - 60]
            elif code == 39:
                style["fg"] = None
            elif code == 38 and i + 2 < len(codes) and codes[i + 1] == 5:
                style["fg"] = PALETTE.get(30 + codes[i + 2] % 8, FOREGROUND)
                i += 2
            i += 1
        position = match.end()
    for ch in line[position:]:
        yield ch, dict(style)


def main():
    source, target = sys.argv[1], sys.argv[2]
    columns = int(sys.argv[3]) if len(sys.argv) > 3 else 120
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    regular = ImageFont.truetype(FONT_PATHS[0], 15)
    bold = ImageFont.truetype(FONT_PATHS[1], 15)
    cell_w = int(regular.getlength("M"))
    cell_h = 19
    image = Image.new("RGB", (columns * cell_w + 24, rows * cell_h + 24), BACKGROUND)
    draw = ImageDraw.Draw(image)
    with open(source, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().split("\n")[:rows]
    for y, line in enumerate(lines):
        x = 0
        for ch, style in parse(line):
            if x >= columns:
                break
            fg = style["fg"] or FOREGROUND
            if style["dim"]:
                fg = tuple(int(c * 0.6) for c in fg)
            bg = BACKGROUND
            if style["reverse"]:
                fg, bg = bg, fg
            left, top = 12 + x * cell_w, 12 + y * cell_h
            if bg != BACKGROUND:
                draw.rectangle([left, top, left + cell_w, top + cell_h], fill=bg)
            if ch != " ":
                draw.text((left, top + 1), ch, font=bold if style["bold"] else regular, fill=fg)
            x += 1
    image.save(target)


if __name__ == "__main__":
    main()
