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
  incident meter at the focus point whose flat diffuser faces the light being measured. The
  bounce's stops are the key's light its reflector sends there, the diffuser facing the reflector.
* The person's turns use the lights' sides: ``head_yaw_deg`` and ``body_turn_deg`` are measured
  from facing the camera, + towards camera left; pitch + lifts the chin; roll + tips the crown
  towards camera left; a gaze direction is measured from the line to the camera.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from . import fields as f
from .color import Color8
from .modifiers import MODIFIERS, Modifier
from .units import Distance

RigRole = Literal["key", "fill", "rim"]
RIG_ROLES: tuple[RigRole, ...] = get_args(RigRole)

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

# A choice field is annotated with its Literal and given the Literal's get_args as its choices,
# so the type mypy checks and the values the loader and the panel allow are one list.
Framing = Literal["closeup", "head_and_shoulders", "half_body"]
ChainStyle = Literal["cable", "curb"]
Karat = Literal["24k", "22k", "18k", "14k", "rose", "white"]
Finish = Literal["polished", "hammered", "brushed"]
LightShape = Literal["rectangle", "square", "disk", "ellipse"]
KeyPattern = Literal["none", "butterfly", "loop", "rembrandt", "split", "clamshell"]
FaceSide = Literal["short", "broad"]
Side = Literal["left", "right"]
BackgroundMode = Literal["extraction", "gradient", "lit"]
Quality = Literal["draft", "preview", "final"]
ViewTransform = Literal["Standard", "AgX", "Filmic", "Khronos PBR Neutral"]
PromptTarget = Literal["midjourney", "sdxl", "flux", "dalle", "structured"]
PromptUnits = Literal["imperial", "metric"]
FRAMINGS: tuple[Framing, ...] = get_args(Framing)
CHAIN_STYLES: tuple[ChainStyle, ...] = get_args(ChainStyle)
KARATS: tuple[Karat, ...] = get_args(Karat)
FINISHES: tuple[Finish, ...] = get_args(Finish)
LIGHT_SHAPES: tuple[LightShape, ...] = get_args(LightShape)
KEY_PATTERNS: tuple[KeyPattern, ...] = get_args(KeyPattern)
FACE_SIDES: tuple[FaceSide, ...] = get_args(FaceSide)
SIDES: tuple[Side, ...] = get_args(Side)
BACKGROUND_MODES: tuple[BackgroundMode, ...] = get_args(BackgroundMode)
QUALITIES: tuple[Quality, ...] = get_args(Quality)
VIEW_TRANSFORMS: tuple[ViewTransform, ...] = get_args(ViewTransform)
PROMPT_TARGETS: tuple[PromptTarget, ...] = get_args(PromptTarget)
PROMPT_UNITS: tuple[PromptUnits, ...] = get_args(PromptUnits)


@dataclass(frozen=True)
class CameraSpec:
    focal_length_mm: float = f.number(105.0, 14.0, 600.0, "mm", "Lens focal length (35 mm full-frame equivalent when the sensor is 36 mm wide).")
    f_number: float = f.number(5.6, 0.95, 64.0, "f/", "Aperture as an f-number; sets depth of field around the focus point.")
    sensor_width_mm: float = f.number(36.0, 4.0, 100.0, "mm", "Sensor width; 36 mm is full frame.")
    framing: Framing = f.choice("head_and_shoulders", FRAMINGS, "How much of the sitter fills the frame height; sets the camera distance.")
    height: Distance | None = f.optional_distance("eye_level", 0.2, 3.0, 'Camera height above the floor, or "eye_level" for the focus point height.')


SubjectKind = Literal["person", "mannequin", "model"]
HeadShape = Literal["neutral", "oval", "round", "square", "rectangular", "triangular", "inverted_triangular", "diamond"]
Gaze = Literal["camera", "direction"]
Expression = Literal["neutral", "slight_smile", "smile", "serious"]
Neckline = Literal["strapless", "off_shoulder", "scoop", "boat"]
Fabric = Literal["matte_cotton", "silk"]
HairStyle = Literal["shaved", "close_cropped", "short", "bob", "long", "ponytail", "bun"]
Parting = Literal["none", "left", "right", "centre"]
SUBJECT_KINDS: tuple[SubjectKind, ...] = get_args(SubjectKind)
HEAD_SHAPES: tuple[HeadShape, ...] = get_args(HeadShape)
GAZES: tuple[Gaze, ...] = get_args(Gaze)
EXPRESSIONS: tuple[Expression, ...] = get_args(Expression)
NECKLINES: tuple[Neckline, ...] = get_args(Neckline)
FABRICS: tuple[Fabric, ...] = get_args(Fabric)
HAIR_STYLES: tuple[HairStyle, ...] = get_args(HairStyle)
PARTINGS: tuple[Parting, ...] = get_args(Parting)


@dataclass(frozen=True)
class BodySpec:
    sex: float = f.number(0.0, 0.0, 1.0, "", "0 = female, 1 = male; values between blend MakeHuman's two macro shapes.")
    age_years: float = f.number(32.0, 18.0, 90.0, "years", "Age; shapes the face and body by MakeHuman's age targets (adults only).")
    muscle: float = f.number(0.5, 0.0, 1.0, "", "Muscle tone on MakeHuman's scale: 0 minimum, 0.5 average, 1 maximum.")
    weight: float = f.number(0.5, 0.0, 1.0, "", "Body weight on MakeHuman's scale: 0 minimum, 0.5 average, 1 maximum.")
    height: float = f.number(0.5, 0.25, 0.75, "", "Stature on MakeHuman's scale (0.5 average). MakeHuman scales the head with the body, so beyond 0.25-0.75 the head leaves the adult range; the eyes stay at eye_height.")
    proportions: float = f.number(0.5, 0.0, 1.0, "", "Body proportions: 0.5 as measured, towards 1 idealised, towards 0 uncommon.")


@dataclass(frozen=True)
class AncestrySpec:
    african: float = f.number(1.0, 0.0, 1.0, "", "Weight of MakeHuman's African macro shape (the three weights are normalised to sum 1).")
    asian: float = f.number(1.0, 0.0, 1.0, "", "Weight of MakeHuman's Asian macro shape.")
    caucasian: float = f.number(1.0, 0.0, 1.0, "", "Weight of MakeHuman's Caucasian macro shape.")


@dataclass(frozen=True)
class FaceSpec:
    shape: HeadShape = f.choice("neutral", HEAD_SHAPES, "Head shape target (MakeHuman's head-<shape>); neutral adds none.")
    shape_amount: float = f.number(0.5, 0.0, 1.0, "", "How much of the head shape target is applied.")
    nose_width: float = f.number(0.0, -1.0, 1.0, "", "Narrower (-1) to wider (+1) nose.")
    nose_length: float = f.number(0.0, -1.0, 1.0, "", "Shorter (-1) to longer (+1) nose.")
    lip_fullness: float = f.number(0.0, -1.0, 1.0, "", "Thinner (-1) to fuller (+1) lips.")
    chin_width: float = f.number(0.0, -1.0, 1.0, "", "Narrower (-1) to wider (+1) chin and lower jaw.")
    ear_size: float = f.number(0.0, -1.0, 1.0, "", "Smaller (-1) to larger (+1) ears.")
    eye_size: float = f.number(0.0, -1.0, 1.0, "", "Smaller (-1) to larger (+1) eye openings.")


@dataclass(frozen=True)
class PoseSpec:
    body_turn_deg: float = f.number(0.0, -60.0, 60.0, "deg", "Shoulders turned from facing the camera; + turns the chest towards camera left.")
    head_yaw_deg: float = f.number(0.0, -60.0, 60.0, "deg", "Face turned from the camera, measured from the camera axis; + is towards camera left.")
    head_pitch_deg: float = f.number(0.0, -30.0, 30.0, "deg", "Head tilted up (+, chin raised) or down (-).")
    head_roll_deg: float = f.number(0.0, -30.0, 30.0, "deg", "Head tipped sideways; + moves the crown towards camera left.")
    gaze: Gaze = f.choice("camera", GAZES, "Eyes look into the lens, or in the direction given by gaze_yaw_deg and gaze_pitch_deg.")
    gaze_yaw_deg: float = f.number(0.0, -40.0, 40.0, "deg", "Gaze direction (gaze = \"direction\") from the line to the camera; + is towards camera left.")
    gaze_pitch_deg: float = f.number(0.0, -30.0, 30.0, "deg", "Gaze direction (gaze = \"direction\") above (+) or below (-) the line to the camera.")


@dataclass(frozen=True)
class ExpressionSpec:
    kind: Expression = f.choice("neutral", EXPRESSIONS, "Facial expression built from ARKit-style face units.")
    intensity: float = f.number(1.0, 0.0, 1.0, "", "Strength of the expression (0 = neutral).")


@dataclass(frozen=True)
class HairSpec:
    style: HairStyle = f.choice("bob", HAIR_STYLES, "Haircut: shaved, close_cropped, short (combed), bob (cut at a line near the chin), long (worn behind the shoulders), or tied back (ponytail, bun); the eyebrows are always grown.")
    length_cm: float = f.number(22.0, 0.0, 90.0, "cm", "Median scalp strand length (before tying): shaved 0, close_cropped 0.2-1.5, short 1.5-10, bob 15-30, long 35-90, ponytail 25-90, bun 30-90.")
    parting: Parting = f.choice("left", PARTINGS, "Where the hair parts, on the sitter's own left or right (the camera sees the sitter's left on its right), centre, or none (combed back).")
    volume: float = f.number(0.3, 0.0, 1.0, "", "Lift of the hair off the scalp: 0 lies flat (about 1 mm), 1 stands 13 mm off.")
    frizz: float = f.number(0.1, 0.0, 1.0, "", "Stray waviness of the strands: 0 smooth, 1 seeded noise growing to 3 mm (s.d.) at the tips.")
    melanin: float = f.number(0.75, 0.0, 1.0, "", "Hair pigment: Cycles' Principled Hair melanin (d'Eon et al. 2011): 0 white, ~0.2 blonde, ~0.66 brown, 1 black (the words: core/prompt/hair_color.py).")
    redness: float = f.number(0.15, 0.0, 1.0, "", "Share of pheomelanin (red-yellow) in the pigment: 0 ash, 1 red.")
    greying: float = f.number(0.0, 0.0, 1.0, "", "Fraction of scalp strands without pigment (white), mixed among the pigmented ones: 0 none, 0.3 greying, 1 all white.")
    brow_density: float = f.number(280.0, 0.0, 600.0, "1/cm2", "Eyebrow hairs per cm² of the brow band, in the hair's pigment (never grey): 0 no eyebrows.")
    lash_length_mm: float = f.number(10.0, 0.0, 15.0, "mm", "Median upper eyelash length (adults 8-12 mm); the lower lashes are 0.6 of it; in the hair's pigment (never grey): 0 no lashes.")


@dataclass(frozen=True)
class GarmentSpec:
    neckline: Neckline = f.choice("off_shoulder", NECKLINES, "Neckline; every style leaves the neck and clavicles bare for the chain.")
    color: Color8 = f.color(Color8(28, 30, 38), "Fabric colour as 8-bit sRGB (its albedo).")
    fabric: Fabric = f.choice("matte_cotton", FABRICS, "matte_cotton: diffuse with a soft fibre sheen; silk: a glossy sheen.")


@dataclass(frozen=True)
class SubjectSpec:
    kind: SubjectKind = f.choice("person", SUBJECT_KINDS, 'A parametric person (MakeHuman data), the stand-in mannequin, or your own model file ("model").')
    model: str = f.text("", "Path to a .glb/.gltf/.fbx/.obj file when kind = \"model\" (relative to the spec file).", max_length=4096)
    distance_to_background: Distance = f.distance(Distance(8.0, "ft"), 0.3, 15.0, "Horizontal distance from the focus point to the backdrop wall.")
    eye_height: Distance = f.distance(Distance(1.6, "m"), 0.5, 2.2, "Height of the eyes (the focus point) above the floor.")
    materials: dict[str, str] = f.string_table(MATERIAL_ROLES, "Your model's material names mapped to a role: skin, gold, eyes or keep.")
    body: BodySpec = f.section(BodySpec, "The person's sex, age and build (kind = \"person\").")
    ancestry: AncestrySpec = f.section(AncestrySpec, "The person's blend of MakeHuman's three macro face and body shapes.")
    face: FaceSpec = f.section(FaceSpec, "The person's face shape.")
    pose: PoseSpec = f.section(PoseSpec, "Body turn, head turn and gaze (person; the mannequin faces the camera).")
    expression: ExpressionSpec = f.section(ExpressionSpec, "The person's expression.")
    hair: HairSpec = f.section(HairSpec, "The person's scalp hair and eyebrows.")
    garment: GarmentSpec = f.section(GarmentSpec, "What the person wears.")


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
    # 1 %: with the default melanin the albedo is CIELAB (63.9, 8.1, 18.1), the measured mean of
    # Yun et al., "Skin color analysis using a spectrophotometer in Asians", Skin Res. Technol.
    # 2010 (64.2, 9.0, 18.3 over forehead, cheek, inner arm, hand and chest). Jacques's body-wide
    # 0.2 % gives a* 2, greyer than any measured face; the forehead is the reddest of the sites
    # Xiao et al. measured ("Characterising the variations in ethnic skin colours", Skin Res.
    # Technol. 23(1), 2017).
    haemoglobin: float = f.number(0.01, 0.0, 0.2, "fraction", "Dermal blood volume fraction (redness; 0.01 matches measured facial colour, Yun et al. 2010; body-wide typical 0.002, Jacques 1998).")


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
    style: ChainStyle = f.choice("cable", CHAIN_STYLES, "Link style: cable (oval links at 90 deg) or curb (twisted, flat-lying links).")
    link_length_mm: float = f.number(6.0, 1.0, 40.0, "mm", "Outer length of one link.")
    wire_gauge_mm: float = f.number(1.2, 0.2, 8.0, "mm", "Wire diameter of the links.")
    length: Distance = f.distance(Distance(45.0, "cm"), 0.05, 2.0, "Total chain length.")


@dataclass(frozen=True)
class JewelrySpec:
    enabled: bool = f.flag(True, "Whether the sitter wears a chain.")
    karat: Karat = f.choice("24k", KARATS, "Gold alloy; 24k uses measured optical constants.")
    finish: Finish = f.choice("hammered", FINISHES, "Surface finish.")
    facet_size_mm: float = f.number(1.2, 0.1, 10.0, "mm", "Size of the hammer facets (hammered finish).")
    roughness: float = f.number(0.12, 0.0, 1.0, "", "Microfacet roughness of the gold.")
    micro_scratches: bool = f.flag(True, "Micro-scratches where the chain touches skin and itself.")
    chain: ChainSpec = f.section(ChainSpec, "The chain's geometry.")


@dataclass(frozen=True)
class LightSpec:
    enabled: bool = f.flag(True, "Whether this light is in the rig.")
    modifier: Modifier = f.choice("softbox", MODIFIERS, "Light modifier (core/modifiers.py): softbox, strip box (>= 3:1), octabox, beauty dish (with its centre deflector: a ring catchlight), shoot-through or reflective umbrella, bare flash (hard light) or Fresnel spot; each only in its real sizes.")
    shape: LightShape = f.choice("rectangle", LIGHT_SHAPES, "Emitting surface shape of a softbox (the other modifiers have their own).")
    width: Distance = f.distance(Distance(1.0, "m"), 0.05, 5.0, "Emitting width; the diameter of a round modifier, a bare flash or a Fresnel's lamp.")
    height: Distance = f.distance(Distance(1.4, "m"), 0.05, 5.0, "Emitting height (softbox rectangles and ellipses, strip boxes; ignored otherwise).")
    azimuth_deg: float = f.number(45.0, -180.0, 180.0, "deg", "Around the focus from the camera axis; + is camera left, 180 behind the subject. The key's is replaced by its pattern's placement when lights.key.pattern is set.")
    elevation_deg: float = f.number(45.0, -60.0, 89.0, "deg", "Above the focus point's horizontal plane. The key's is replaced by its pattern's placement when lights.key.pattern is set.")
    distance: Distance = f.distance(Distance(1.5, "m"), 0.3, 10.0, "From the focus point to the light's centre.")
    stops: float = f.number(0.0, -8.0, 4.0, "stops", "Incident level at the focus relative to the key (key is always 0).")
    temperature_k: float = f.number(5600.0, 1800.0, 12000.0, "K", "Colour temperature.")
    spread_deg: float = f.number(180.0, 1.0, 180.0, "deg", "Beam spread: 180 is a bare softbox, smaller is a grid (egg crate); a Fresnel's beam angle.")
    pattern: KeyPattern = f.choice("none", KEY_PATTERNS, "Key only: a named lighting pattern; the key is then placed for this face and head turn (core/pattern_placement.py), replacing azimuth_deg and elevation_deg. \"none\" uses them as given.")
    face_side: FaceSide = f.choice("short", FACE_SIDES, "Key only, with a pattern: light the side of the turned face away from the camera (short) or towards it (broad). Ignored for butterfly and clamshell, and with the head facing the camera (the key then goes to camera left).")


def default_key() -> LightSpec:
    return LightSpec()


def default_fill() -> LightSpec:
    return LightSpec(
        width=Distance(1.2, "m"), height=Distance(1.2, "m"), shape="square",
        azimuth_deg=-40.0, elevation_deg=10.0, distance=Distance(2.0, "m"), stops=-2.0,
    )


def default_rim() -> LightSpec:
    return LightSpec(
        modifier="stripbox", width=Distance(0.3, "m"), height=Distance(1.2, "m"),
        azimuth_deg=-135.0, elevation_deg=30.0, distance=Distance(1.8, "m"), stops=0.0, spread_deg=40.0,
    )


ReflectorKind = Literal["white", "silver", "gold", "vflat"]
REFLECTOR_KINDS: tuple[ReflectorKind, ...] = get_args(ReflectorKind)


@dataclass(frozen=True)
class BounceSpec:
    enabled: bool = f.flag(False, "Whether a reflector bounces the key back into the shadows (fill without a light).")
    kind: ReflectorKind = f.choice("white", REFLECTOR_KINDS, "white: matte (albedo 0.9); silver, gold: mirror-like metal faces; vflat: two white foam-core panels hinged in a V, standing upright.")
    size: Distance = f.distance(Distance(0.8, "m"), 0.5, 1.25, "A round reflector's diameter (0.5-1.25 m: 20 to 48 in), or each V-flat panel's width (0.6-1.25 m; panels are twice as tall, up to a 4 x 8 ft sheet).")
    azimuth_deg: float = f.number(-60.0, -180.0, 180.0, "deg", "Reflector's centre (a V-flat's hinge) around the focus, like the lights; + is camera left.")
    elevation_deg: float = f.number(0.0, -60.0, 60.0, "deg", "Above (+) or below (-) the focus point's horizontal plane; a clamshell reflector sits below the face.")
    stops: float = f.number(-2.0, -6.0, 0.0, "stops", "Incident level at the focus of the key's light the reflector bounces, relative to the key; sets the reflector's distance.")


@dataclass(frozen=True)
class FlagSpec:
    enabled: bool = f.flag(False, "Whether a black flag (negative fill) stands beside the sitter, absorbing the light the studio would bounce onto that side.")
    width: Distance = f.distance(Distance(0.6, "m"), 0.3, 1.25, "Flag width (a 24 x 36 in flag is 0.6 m; a 4 x 4 ft floppy 1.2 m).")
    height: Distance = f.distance(Distance(0.9, "m"), 0.3, 2.45, "Flag height (0.9 m for a 24 x 36 in flag; an opened floppy 2.4 m).")
    azimuth_deg: float = f.number(-90.0, -180.0, 180.0, "deg", "Flag's centre around the focus, like the lights; + is camera left.")
    elevation_deg: float = f.number(0.0, -60.0, 60.0, "deg", "Above the focus point's horizontal plane.")
    distance: Distance = f.distance(Distance(0.8, "m"), 0.3, 3.0, "From the focus point to the flag's centre; it faces the focus.")


@dataclass(frozen=True)
class LightsSpec:
    key: LightSpec = f.section(default_key, "The key light: sets form and exposure.")
    fill: LightSpec = f.section(default_fill, "The fill light: sets shadow density, in stops below the key.")
    rim: LightSpec = f.section(default_rim, "The rim (separation) light from behind the subject.")
    bounce: BounceSpec = f.section(BounceSpec, "A reflector or V-flat bouncing the key as fill, in stops below the key.")
    flag: FlagSpec = f.section(FlagSpec, "A black flag beside the sitter (negative fill).")

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
    side: Side = f.choice("left", SIDES, "Camera side the light comes from (the bright side).")


@dataclass(frozen=True)
class BackgroundSpec:
    mode: BackgroundMode = f.choice("extraction", BACKGROUND_MODES, "extraction: exact colour for matting; gradient: own light with a falloff; lit: lit by the rig.")
    color: Color8 = f.color(Color8(255, 0, 128), "Backdrop colour as 8-bit sRGB (the exact rendered value in extraction mode; the paint otherwise).")
    cove_radius: Distance = f.distance(Distance(1.2, "m"), 0.3, 5.0, "Radius of the curve between floor and wall.")
    level_stops: float = f.number(0.0, -6.0, 3.0, "stops", "Backdrop's brightest illumination relative to the key's incident level (gradient mode).")
    gradient: GradientSpec = f.section(GradientSpec, "Gradient mode settings.")


@dataclass(frozen=True)
class RenderSpec:
    resolution: tuple[int, int] = f.resolution((1024, 1280), 16, 16384, "Output width and height in pixels (4:5 portrait by default).")
    quality: Quality = f.choice("preview", QUALITIES, "Cycles settings preset (draft: few samples, denoised, for exploring sweeps).")
    samples: int = f.number(0, 0, 65536, "samples", "Samples per pixel; 0 takes the quality preset's value.", integer=True)
    view_transform: ViewTransform = f.choice("Standard", VIEW_TRANSFORMS, "Colour management view transform (extraction needs Standard).")
    exposure_ev: float = f.number(0.0, -10.0, 10.0, "EV", "Film exposure compensation (extraction needs 0).")
    seed: int = f.number(0, 0, 2**31 - 1, "", "Cycles noise seed.", integer=True)
    exr: bool = f.flag(False, "Also write reference.exr (multilayer, scene-linear) beside reference.png.")


@dataclass(frozen=True)
class PromptSpec:
    target: PromptTarget = f.choice("midjourney", PROMPT_TARGETS, "Default prompt target.")
    units: PromptUnits = f.choice("imperial", PROMPT_UNITS, "Units for distances in prompts.")
    midjourney_version: str = f.text("7", "Midjourney model version for --v.", max_length=5, pattern=r"[0-9]{1,2}(\.[0-9]{1,2})?",
                                     pattern_doc="a version number such as 7 or 6.1")
    engine_tags: bool = f.flag(False, "Append render-engine tags (e.g. 'Cycles path tracing').")


# Stable Diffusion settings written into reference.png (AUTOMATIC1111's sampler and schedule
# names, which A1111, Forge, ComfyUI's importer and sd-parsers read back).
Sampler = Literal["DPM++ 2M", "DPM++ 2M SDE", "DPM++ SDE", "DPM++ 3M SDE", "Euler", "Euler a", "Heun", "DDIM", "UniPC"]
Scheduler = Literal["Automatic", "Karras", "Exponential", "SGM Uniform", "Uniform"]
SAMPLERS: tuple[Sampler, ...] = get_args(Sampler)
SCHEDULERS: tuple[Scheduler, ...] = get_args(Scheduler)


@dataclass(frozen=True)
class GenerationSpec:
    steps: int = f.number(30, 1, 150, "steps", "Sampling steps in the settings line of reference.png's Stable Diffusion parameters.", integer=True)
    sampler: Sampler = f.choice("DPM++ 2M", SAMPLERS, "Sampler, by its AUTOMATIC1111 name (ComfyUI's importer maps it to its own).")
    scheduler: Scheduler = f.choice("Karras", SCHEDULERS, "Noise schedule (AUTOMATIC1111's \"Schedule type\").")
    cfg_scale: float = f.number(5.0, 1.0, 30.0, "", "Classifier-free guidance scale; 5 is the SDXL base model's default in diffusers.")
    seed: int = f.number(0, 0, 2**31 - 1, "", "Sampler seed, so \"send to txt2img\" repeats one image.", integer=True)
    model: str = f.text("sd_xl_base_1.0", "Checkpoint name hint (its file name without extension), written as \"Model:\".")


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
    generation: GenerationSpec = f.section(GenerationSpec, "Stable Diffusion settings written beside the prompt in reference.png.")
