"""The scene specification: one typed, validated model read by the scene builder and the prompt
writer alike. Every field states its unit; ranges and meanings live in the field metadata.

Conventions used throughout (see README "Conventions"):

* World: metres, +Z up. The camera looks along +Y. The ``focus`` point (the midpoint between
  the subject's pupils) is at (0, 0, subject.eye_height). Camera right is +X.
* Light direction: ``azimuth_deg`` is measured around the focus point from the camera axis
  (0 deg = beside the camera, looking at the subject's face), positive towards **camera left**
  (the photographer's left while standing at the camera), 90 = side light from camera left,
  180 = straight behind the subject, negative = camera right. ``elevation_deg`` is above the
  focus point's horizontal plane. ``distance`` is from the focus point to the light's centre.
* Stops: fill and rim are stated in photographic stops relative to the key, as read by an
  incident meter at the focus point whose flat diffuser faces the light being measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import fields as f
from .color import Color8
from .units import Distance

RigRole = Literal["key", "fill", "rim"]
RIG_ROLES: tuple[RigRole, ...] = ("key", "fill", "rim")

SKIN_REGIONS: tuple[str, ...] = (
    "forehead",
    "nasal_bridge",
    "nose_tip",
    "nostrils",
    "cheekbones",
    "cheeks",
    "lips",
    "chin",
    "jawline",
    "ears",
    "neck",
    "clavicles",
)
ROUGHNESS_KEYS: tuple[str, ...] = ("default", *SKIN_REGIONS)
MATERIAL_ROLES: tuple[str, ...] = ("skin", "gold", "eyes", "keep")
PROMPT_TARGETS: tuple[str, ...] = ("midjourney", "sdxl", "flux", "dalle")
VIEW_TRANSFORMS: tuple[str, ...] = ("Standard", "AgX", "Filmic", "Khronos PBR Neutral")


@dataclass(frozen=True)
class CameraSpec:
    focal_length_mm: float = f.number(105.0, 14.0, 600.0, "mm", "Lens focal length (35 mm full-frame equivalent when the sensor is 36 mm wide).")
    f_number: float = f.number(5.6, 0.95, 64.0, "f/", "Aperture as an f-number; sets depth of field around the focus point.")
    sensor_width_mm: float = f.number(36.0, 4.0, 100.0, "mm", "Sensor width; 36 mm is full frame.")
    framing: str = f.choice("head_and_shoulders", ("closeup", "head_and_shoulders", "half_body"), "How much of the sitter fills the frame height; sets the camera distance.")
    height: Distance | None = f.optional_distance("eye_level", 0.2, 3.0, 'Camera height above the floor, or "eye_level" for the focus point height.')


@dataclass(frozen=True)
class SubjectSpec:
    kind: str = f.choice("bust", ("bust", "model"), 'The built-in stand-in bust, or your own model file ("model").')
    model: str = f.text("", "Path to a .glb/.gltf/.fbx/.obj file when kind = \"model\" (relative to the spec file).")
    distance_to_background: Distance = f.distance(Distance(8.0, "ft"), 0.3, 15.0, "Horizontal distance from the focus point to the backdrop wall.")
    eye_height: Distance = f.distance(Distance(1.6, "m"), 0.5, 2.2, "Height of the eyes (the focus point) above the floor.")
    materials: dict[str, str] = f.string_table(MATERIAL_ROLES, "Your model's material names mapped to a role: skin, gold, eyes or keep.")


@dataclass(frozen=True)
class SubsurfaceSpec:
    radius_mm: tuple[float, float, float] = f.vector3((3.67, 1.37, 0.68), 0.01, 50.0, "mm", "Subsurface diffusion length per channel (R, G, B); default is measured skin (Jensen 2001, Skin1).")
    thin_regions: tuple[str, ...] = f.names(("ears", "nostrils"), SKIN_REGIONS, "Thin tissue regions that glow when backlit.")
    thin_radius_mm: float = f.number(3.0, 0.1, 20.0, "mm", "Red-channel subsurface radius in the thin regions.")


@dataclass(frozen=True)
class PoresSpec:
    visible: bool = f.flag(True, "Whether pores are modelled as a micro-normal.")
    regions: tuple[str, ...] = f.names(("nasal_bridge",), SKIN_REGIONS, "Regions where pores are visible.")
    diameter_mm: float = f.number(0.15, 0.02, 1.0, "mm", "Typical pore opening diameter.")
    depth_mm: float = f.number(0.05, 0.005, 0.5, "mm", "Pore depth as a bump height.")


@dataclass(frozen=True)
class VellusHairSpec:
    visible: bool = f.flag(True, "Whether fine vellus hair is modelled.")
    regions: tuple[str, ...] = f.names(("jawline",), SKIN_REGIONS, "Regions with visible vellus hair.")
    length_mm: float = f.number(1.5, 0.2, 10.0, "mm", "Vellus hair length.")


@dataclass(frozen=True)
class SebumSpec:
    regions: tuple[str, ...] = f.names(("forehead",), SKIN_REGIONS, "Regions with a sebum (oil) film.")
    roughness: float = f.number(0.55, 0.05, 1.0, "", "Surface roughness of the oily regions (lower is shinier). 0.55: Principled squares it to a microfacet width of 0.3, the glossiest Beckmann slope Weyrich et al. 2006 measured on faces.")


@dataclass(frozen=True)
class ToneSpec:
    melanin: float = f.number(0.015, 0.0, 0.5, "fraction", "Epidermal melanosome volume fraction (Jacques 1998: light skin 0.013-0.063, moderate 0.11-0.16, dark 0.18-0.43).")
    haemoglobin: float = f.number(0.002, 0.0, 0.2, "fraction", "Dermal blood volume fraction (redness; typical 0.002, Jacques 1998).")


@dataclass(frozen=True)
class SkinSpec:
    tone: ToneSpec = f.section(ToneSpec, "Skin tone from chromophore amounts.")
    subsurface: SubsurfaceSpec = f.section(SubsurfaceSpec, "Subsurface scattering.")
    pores: PoresSpec = f.section(PoresSpec, "Pore micro-geometry.")
    vellus_hair: VellusHairSpec = f.section(VellusHairSpec, "Fine vellus hair.")
    sebum: SebumSpec = f.section(SebumSpec, "Oily regions.")
    roughness: dict[str, float] = f.number_table({"default": 0.63, "cheekbones": 0.3}, ROUGHNESS_KEYS, 0.0, 1.0, "", "Specular (Principled) roughness by region; \"default\" applies elsewhere. 0.63: Principled squares it to a microfacet width of 0.4, mid-range of the Beckmann slopes (0.3-0.5) Weyrich et al. 2006 measured on faces.")


@dataclass(frozen=True)
class ChainSpec:
    style: str = f.choice("cable", ("cable", "curb"), "Link style: cable (oval links at 90 deg) or curb (twisted, flat-lying links).")
    link_length_mm: float = f.number(6.0, 1.0, 40.0, "mm", "Outer length of one link.")
    wire_gauge_mm: float = f.number(1.2, 0.2, 8.0, "mm", "Wire diameter of the links.")
    length: Distance = f.distance(Distance(45.0, "cm"), 0.05, 2.0, "Total chain length.")


@dataclass(frozen=True)
class JewelrySpec:
    enabled: bool = f.flag(True, "Whether the sitter wears a chain.")
    karat: str = f.choice("24k", ("24k", "22k", "18k", "14k", "rose", "white"), "Gold alloy; 24k uses measured optical constants.")
    finish: str = f.choice("hammered", ("polished", "hammered", "brushed"), "Surface finish.")
    facet_size_mm: float = f.number(1.2, 0.1, 10.0, "mm", "Size of the hammer facets (hammered finish).")
    roughness: float = f.number(0.12, 0.0, 1.0, "", "Microfacet roughness of the gold.")
    micro_scratches: bool = f.flag(True, "Micro-scratches where the chain touches skin and itself.")
    chain: ChainSpec = f.section(ChainSpec, "The chain's geometry.")


@dataclass(frozen=True)
class LightSpec:
    enabled: bool = f.flag(True, "Whether this light is in the rig.")
    shape: str = f.choice("rectangle", ("rectangle", "square", "disk", "ellipse"), "Emitting surface shape of the modifier.")
    width: Distance = f.distance(Distance(1.0, "m"), 0.05, 5.0, "Emitting width.")
    height: Distance = f.distance(Distance(1.4, "m"), 0.05, 5.0, "Emitting height (ignored for square and disk).")
    azimuth_deg: float = f.number(45.0, -180.0, 180.0, "deg", "Around the focus from the camera axis; + is camera left, 180 behind the subject.")
    elevation_deg: float = f.number(45.0, -60.0, 89.0, "deg", "Above the focus point's horizontal plane.")
    distance: Distance = f.distance(Distance(1.5, "m"), 0.3, 10.0, "From the focus point to the light's centre.")
    stops: float = f.number(0.0, -8.0, 4.0, "stops", "Incident level at the focus relative to the key (key is always 0).")
    temperature_k: float = f.number(5600.0, 1800.0, 12000.0, "K", "Colour temperature.")
    spread_deg: float = f.number(180.0, 1.0, 180.0, "deg", "Beam spread: 180 is a bare softbox, smaller is a grid (egg crate).")


def default_key() -> LightSpec:
    return LightSpec()


def default_fill() -> LightSpec:
    return LightSpec(
        width=Distance(1.2, "m"), height=Distance(1.2, "m"), shape="square",
        azimuth_deg=-40.0, elevation_deg=10.0, distance=Distance(2.0, "m"), stops=-2.0,
    )


def default_rim() -> LightSpec:
    return LightSpec(
        width=Distance(0.3, "m"), height=Distance(1.2, "m"),
        azimuth_deg=-135.0, elevation_deg=30.0, distance=Distance(1.8, "m"), stops=0.0, spread_deg=40.0,
    )


@dataclass(frozen=True)
class LightsSpec:
    key: LightSpec = f.section(default_key, "The key light: sets form and exposure.")
    fill: LightSpec = f.section(default_fill, "The fill light: sets shadow density, in stops below the key.")
    rim: LightSpec = f.section(default_rim, "The rim (separation) light from behind the subject.")

    def rig(self, role: RigRole) -> LightSpec:
        match role:
            case "key":
                return self.key
            case "fill":
                return self.fill
            case "rim":
                return self.rim


@dataclass(frozen=True)
class GradientSpec:
    stops: float = f.number(2.0, 0.1, 6.0, "stops", "Luminance falloff across the frame at head height.")
    side: str = f.choice("left", ("left", "right"), "Camera side the light comes from (the bright side).")


@dataclass(frozen=True)
class BackgroundSpec:
    mode: str = f.choice("extraction", ("extraction", "gradient", "lit"), "extraction: exact colour for matting; gradient: own light with a falloff; lit: lit by the rig.")
    color: Color8 = f.color(Color8(255, 0, 128), "Backdrop colour as 8-bit sRGB (the exact rendered value in extraction mode; the paint otherwise).")
    cove_radius: Distance = f.distance(Distance(1.2, "m"), 0.3, 5.0, "Radius of the curve between floor and wall.")
    level_stops: float = f.number(0.0, -6.0, 3.0, "stops", "Backdrop's brightest illumination relative to the key's incident level (gradient mode).")
    gradient: GradientSpec = f.section(GradientSpec, "Gradient mode settings.")


@dataclass(frozen=True)
class RenderSpec:
    resolution: tuple[int, int] = f.resolution((1024, 1280), 16, 16384, "Output width and height in pixels (4:5 portrait by default).")
    quality: str = f.choice("preview", ("preview", "final"), "Cycles settings preset.")
    samples: int = f.number(0, 0, 65536, "samples", "Samples per pixel; 0 takes the quality preset's value.", integer=True)
    view_transform: str = f.choice("Standard", VIEW_TRANSFORMS, "Colour management view transform (extraction needs Standard).")
    exposure_ev: float = f.number(0.0, -10.0, 10.0, "EV", "Film exposure compensation (extraction needs 0).")
    seed: int = f.number(0, 0, 2**31 - 1, "", "Cycles noise seed.", integer=True)
    exr: bool = f.flag(False, "Also write reference.exr (multilayer, scene-linear) beside reference.png.")


@dataclass(frozen=True)
class PromptSpec:
    target: str = f.choice("midjourney", PROMPT_TARGETS, "Default prompt target.")
    units: str = f.choice("imperial", ("imperial", "metric"), "Units for distances in prompts.")
    midjourney_version: str = f.text("7", "Midjourney model version for --v.")
    engine_tags: bool = f.flag(False, "Append render-engine tags (e.g. 'Cycles path tracing').")


@dataclass(frozen=True)
class Spec:
    camera: CameraSpec = f.section(CameraSpec, "The portrait camera.")
    subject: SubjectSpec = f.section(SubjectSpec, "The sitter.")
    skin: SkinSpec = f.section(SkinSpec, "Skin material.")
    jewelry: JewelrySpec = f.section(JewelrySpec, "Gold chain.")
    lights: LightsSpec = f.section(LightsSpec, "Key, fill and rim.")
    background: BackgroundSpec = f.section(BackgroundSpec, "The cyclorama.")
    render: RenderSpec = f.section(RenderSpec, "Render settings.")
    prompt: PromptSpec = f.section(PromptSpec, "Prompt writing.")
