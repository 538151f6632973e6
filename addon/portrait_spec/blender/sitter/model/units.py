"""The unit a model file was really written in, read from the size of the person in it.

A file's numbers are only as good as its exporter: OBJ has no unit at all, and an FBX or glTF
written from a centimetre scene without conversion reads 100 times too large. The person in the
file says which it is: adults' eyes are 54-72 mm apart (Dodgson 2004, "Variation and extrema of
human interpupillary distance", mean 63 mm) and they stand 1.4-2.1 m tall (ANSUR II 2012, 1st
percentile women to 99th percentile men, rounded out). The candidate units are ten or more times
apart, so exactly one of them puts a human-sized model in a wide band around that range
(``IPD_PLAUSIBLE_M``, ``STATURE_PLAUSIBLE_M``); a model that no unit makes human-sized is refused
(exit 2), never guessed at. The scale found is applied, and said: it is a note in the build and
a row in ``verify``'s report. Sizes are measured in world space, after the importer's own
conversion: an FBX written in centimetres arrives with the object scale 0.01 its importer sets
(apply unit scale), already human-sized, and is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ....core.errors import Problem, SpecError

#: metres per file unit, in the order tried (metres first: a correct file is never rescaled)
UNITS: tuple[tuple[str, float], ...] = (
    ("metres", 1.0), ("centimetres", 0.01), ("decimetres", 0.1), ("millimetres", 0.001), ("inches", 0.0254),
)
IPD_ADULT_M = (0.054, 0.072)
IPD_PLAUSIBLE_M = (0.040, 0.100)
STATURE_ADULT_M = (1.40, 2.10)
STATURE_PLAUSIBLE_M = (1.0, 2.6)


@dataclass(frozen=True)
class UnitFinding:
    unit: str
    factor: float  # multiply the model's size by this to get metres

    def note(self, what: str, measured: float) -> str | None:
        if self.factor == 1.0:
            return None
        return (f"the model's {what} measured {measured:.4g} m as imported, so the file is in {self.unit}: "
                f"scaled by {self.factor:g}")


def _unit(measured_m: float, plausible: tuple[float, float], what: str, model: str) -> UnitFinding:
    for unit, factor in UNITS:
        if plausible[0] <= measured_m * factor <= plausible[1]:
            return UnitFinding(unit, factor)
    raise SpecError([Problem("subject.model", f"{model!r} with its {what} {measured_m:.4g} m as imported",
                             f"a human-sized model (in metres, centimetres, decimetres, millimetres or inches, "
                             f"{what} {plausible[0]:g}-{plausible[1]:g} m)")])


def unit_from_eyes(interpupillary_m: float, model: str) -> UnitFinding:
    return _unit(interpupillary_m, IPD_PLAUSIBLE_M, "eyes' distance apart", model)


def unit_from_stature(height_m: float, model: str) -> UnitFinding:
    return _unit(height_m, STATURE_PLAUSIBLE_M, "height", model)


def adult_note(interpupillary_m: float) -> str | None:
    """Said when the eyes, in metres, are outside the adult range (a child, a stylised character)."""
    lo, hi = IPD_ADULT_M
    if lo <= interpupillary_m <= hi:
        return None
    return (f"the eyes are {interpupillary_m * 1000:.1f} mm apart, outside the adult range {lo * 1000:.0f}-"
            f"{hi * 1000:.0f} mm (Dodgson 2004): framing and regions assume adult proportions")
