"""Colours as users write them (8-bit sRGB or hex) and as renderers need them (linear)."""

from __future__ import annotations

import re
from dataclasses import dataclass

ALLOWED_COLOR = 'hex "#RRGGBB" or [R, G, B] with integers 0-255 (sRGB)'

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


def srgb_to_linear(c: float) -> float:
    """IEC 61966-2-1 decoding of one channel in 0..1."""
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def linear_to_srgb(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1.0 / 2.4) - 0.055


@dataclass(frozen=True)
class Color8:
    """An exact 8-bit sRGB colour; ``as_hex`` remembers how the user wrote it."""

    r: int
    g: int
    b: int
    as_hex: bool = False

    def __post_init__(self) -> None:
        for channel in (self.r, self.g, self.b):
            if not 0 <= channel <= 255:
                raise ValueError("channel outside 0-255")

    @property
    def rgb(self) -> tuple[int, int, int]:
        return (self.r, self.g, self.b)

    @property
    def linear(self) -> tuple[float, float, float]:
        r, g, b = (srgb_to_linear(c / 255.0) for c in self.rgb)
        return (r, g, b)

    @property
    def hex(self) -> str:
        return "#{:02X}{:02X}{:02X}".format(*self.rgb)

    def to_toml(self) -> str | list[int]:
        return self.hex if self.as_hex else list(self.rgb)

    @classmethod
    def from_linear(cls, rgb: tuple[float, float, float]) -> Color8:
        r, g, b = (round(linear_to_srgb(c) * 255.0) for c in rgb)
        return cls(r, g, b)


def parse_color(raw: object) -> Color8:
    if isinstance(raw, str):
        match = _HEX.match(raw.strip())
        if not match:
            raise ValueError("not a hex colour")
        digits = match.group(1)
        return Color8(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), True)
    if isinstance(raw, (list, tuple)) and len(raw) == 3:
        if not all(isinstance(c, int) and not isinstance(c, bool) for c in raw):
            raise ValueError("channels must be integers")
        return Color8(raw[0], raw[1], raw[2], False)
    raise ValueError("not a colour")
