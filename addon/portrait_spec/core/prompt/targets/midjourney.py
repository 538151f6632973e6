"""Midjourney: comma-separated physical phrases in order of importance, then parameters.

Parameters: ``--ar`` from the render resolution reduced by its gcd, ``--style raw`` (less of
Midjourney's own styling over the stated physics), ``--v`` from spec.prompt.midjourney_version.
Negations are left out: Midjourney tends to draw what a "no ..." phrase names.
"""

from __future__ import annotations

from ..facts import Facts, LightFacts
from ..wording import brightest, levelled_role, position, source_noun, temperature_items, temperature_tag


def light_phrase(light: LightFacts) -> str:
    if light.role == "key":
        head = f"{light.source} key light {light.grid}," if light.grid else f"{light.source} key light"
        return f"{head} {position(light)}"
    ratio = f" ({light.ratio})" if light.ratio else ""
    comma = "," if light.grid or light.direction.startswith("behind") else ""
    return f"{levelled_role(light)}{ratio} from a {source_noun(light)}{comma} {position(light)}"


def phrases(facts: Facts) -> list[str]:
    cam, skin, bg = facts.camera, facts.skin, facts.background
    out = [f"{cam.framing} studio portrait", f"{cam.lens} at {cam.aperture}", f"camera {cam.height}"]
    out += [light_phrase(light) for light in facts.lights]
    out.append(", ".join(temperature_tag(temp, role) for temp, role in temperature_items(facts.lights, facts.same_temperature)))
    out += [p for p in (skin.tone, skin.pores, skin.vellus, skin.sebum, skin.subsurface) if p]
    out.append(", ".join([*skin.specular, skin.base_roughness]))
    if facts.jewelry:
        j = facts.jewelry
        out += [f"{j.length} {j.metal} {j.chain} of {j.links} on the clavicles", j.surface]
        if j.scratches:
            out.append(j.scratches)
    look = f"{bg.cyclorama} in {bg.color}" if bg.mode == "extraction" else f"{bg.cyclorama} {bg.color}"
    out.append(f"{look} {bg.lit}" if bg.lit else look)
    if bg.gradient:
        out += [bg.gradient, f"backdrop {brightest(bg.level or '')}"]
    out.append(f"subject {bg.distance}")
    if facts.engine:
        out.append(facts.engine)
    return out


def write(facts: Facts, version: str) -> str:
    params = f"--ar {facts.aspect} --style raw --v {version}"
    return f"{', '.join(phrases(facts))} {params}"
