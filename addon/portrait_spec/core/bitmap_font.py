"""A 5x7 pixel font for printable ASCII, for labels drawn into images without a GPU.

Blender's BLF needs a GPU context for offscreen drawing, which a background render (the CLI, the
bpy module) does not have, so the contact sheet's labels are drawn from this table. Each glyph
is 7 rows of 5 bits (most significant bit on the left), two hex digits per row; characters
outside printable ASCII are drawn as "?".
"""

from __future__ import annotations

GLYPH_WIDTH = 5
GLYPH_HEIGHT = 7
ADVANCE = GLYPH_WIDTH + 1  # one blank column between characters
LINE_HEIGHT = GLYPH_HEIGHT + 3

_TABLE = (
    "00000000000000040404040400040a0a0a000000000a0a1f0a1f0a0a040f140e051e04181902040813030c12140815120d04040800000000"  # ' '.."'"
    "02040808080402080402020204080004150e1504000004041f040400000000000c04080000001f00000000000000000c0c00010204081000"  # '('..'/'
    "0e11131519110e040c040404040e0e11010204081f1f02040201110e02060a121f02021f101e0101110e0608101e11110e1f010204080808"  # '0'..'7'
    "0e11110e11110e0e11110f01020c000c0c000c0c00000c0c000c04080204081008040200001f001f0000080402010204080e110102040004"  # '8'..'?'
    "0e11010d15150e0e1111111f11111e11111e11111e0e11101010110e1c12111111121c1f10101e10101f1f10101e1010100e11101711110f"  # '@'..'G'
    "1111111f1111110e04040404040e0702020202120c111214181412111010101010101f111b1515111111111119151311110e11111111110e"  # 'H'..'O'
    "1e11111e1010100e11111115120d1e11111e1412110f10100e01011e1f0404040404041111111111110e11111111110a041111111515150a"  # 'P'..'W'
    "11110a040a11111111110a0404041f01020408101f0e08080808080e001008040201000e02020202020e040a11000000000000000000001f"  # 'X'..'_'
    "0804020000000000000e010f110f1010161911111e00000e1010110e01010d1311110f00000e111f100e0609081c080808000f11110f010e"  # '`'..'g'
    "1010161911111104000c0404040e0200060202120c101012141814120c04040404040e00001a151511110000161911111100000e1111110e"  # 'h'..'o'
    "00001e111e101000000d130f01010000161910101000000e100e011e08081c080809060000111111130d00001111110a040000111115150a"  # 'p'..'w'
    "0000110a040a11000011110f010e00001f0204081f02040408040402040404040404040804040204040800000815020000"  # 'x'..'~'
)
FIRST = 32
_HEX = "".join(_TABLE)


def glyph(char: str) -> tuple[tuple[bool, ...], ...]:
    """Rows of a character, top first; True where the pixel is ink."""
    code = ord(char) if len(char) == 1 and 32 <= ord(char) < 127 else ord("?")
    at = (code - FIRST) * 2 * GLYPH_HEIGHT
    rows = (int(_HEX[at + 2 * r:at + 2 * r + 2], 16) for r in range(GLYPH_HEIGHT))
    return tuple(tuple(bool(bits >> (GLYPH_WIDTH - 1 - c) & 1) for c in range(GLYPH_WIDTH)) for bits in rows)


def text_width(text: str) -> int:
    return max(len(text) * ADVANCE - 1, 0)


def render_text(lines: list[str]) -> list[list[bool]]:
    """An ink bitmap of ``lines`` (one row of bools per pixel row), as wide as the longest line."""
    width = max((text_width(line) for line in lines), default=0)
    height = max(len(lines) * LINE_HEIGHT - (LINE_HEIGHT - GLYPH_HEIGHT), 0)
    bitmap = [[False] * width for _ in range(height)]
    for n, line in enumerate(lines):
        top = n * LINE_HEIGHT
        for i, char in enumerate(line):
            for r, row in enumerate(glyph(char)):
                for c, ink in enumerate(row):
                    if ink:
                        bitmap[top + r][i * ADVANCE + c] = True
    return bitmap


def wrap(text: str, max_width: int) -> list[str]:
    """``text`` broken into lines of at most ``max_width`` pixels, after ".", "=", "_", "," or
    a space where one is near the end of a line, else anywhere."""
    per_line = max(1, (max_width + 1) // ADVANCE)
    lines: list[str] = []
    while len(text) > per_line:
        cut = max(text.rfind(sep, 0, per_line) for sep in ".=_, ") + 1
        if cut < max(1, per_line // 2):
            cut = per_line
        lines.append(text[:cut])
        text = text[cut:]
    return [*lines, text]
