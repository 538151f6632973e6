"""Denoising an image Cycles did not render itself (a light mix, ``mix.py``): OpenImageDenoise
through Blender's compositor, as Cycles denoises a render.

Cycles denoises only its Combined pass; a sum of light-group passes is noisy. Blender's
compositor has the same denoiser (its Denoise node runs OpenImageDenoise with the same albedo
and normal guides and prefilter), and a scene whose compositor tree has no Render Layers node
renders nothing but the tree, so a throwaway scene with the three images in Image nodes gives
the denoised image in well under a second at sweep sizes. The scene, its tree and the images
are removed again.
"""

from __future__ import annotations

import bpy
import numpy as np

from ...shutdown import scratch_folder
from ..compat import COMPOSITOR_GROUPS, compositor_tree, scene_context, set_denoise_options
from ..narrow import pixels_of
from .reference import read_render_result

SCENE = "PS_Denoise"


def _image(name: str, rgb: np.ndarray) -> bpy.types.Image:
    height, width = rgb.shape[:2]
    image = bpy.data.images.new(name, width, height, alpha=True, float_buffer=True)
    rgba = np.ones((height, width, 4), np.float32)
    rgba[..., :3] = rgb
    pixels_of(image).foreach_set(np.ascontiguousarray(rgba[::-1]).ravel().data)  # Blender's rows run bottom-up
    return image


def denoise(noisy: np.ndarray, albedo: np.ndarray, normal: np.ndarray, *, prefilter: str, quality: str) -> np.ndarray:
    """``noisy`` (h, w, 3, scene-linear) denoised with its ``albedo`` and ``normal`` guides
    (Cycles' Denoising Albedo and Normal passes); ``prefilter`` and ``quality`` as Cycles names
    them (``scene.cycles.denoising_prefilter``, ``denoising_quality``)."""
    height, width = noisy.shape[:2]
    scene = bpy.data.scenes.new(SCENE)
    images: list[bpy.types.Image] = []
    tree: bpy.types.NodeTree | None = None
    try:
        scene.render.resolution_x, scene.render.resolution_y = width, height
        scene.render.resolution_percentage = 100
        scene.render.compositor_device = "CPU"  # no GPU here, and the same result on every machine
        tree, output = compositor_tree(scene, SCENE)
        node = tree.nodes.new("CompositorNodeDenoise")
        set_denoise_options(node, prefilter, quality)
        for socket, pixels in (("Image", noisy), ("Albedo", albedo), ("Normal", normal)):
            image = _image(f"{SCENE}_{socket}", pixels)
            images.append(image)
            source = tree.nodes.new("CompositorNodeImage")
            source.image = image  # type: ignore[attr-defined]
            tree.links.new(source.outputs["Image"], node.inputs[socket])
        tree.links.new(node.outputs["Image"], output)
        with scene_context(scene), scratch_folder() as folder:
            bpy.ops.render.render(write_still=False, scene=scene.name)
            result = read_render_result(scene, folder)
        # The composite is its own layer of the result (the unused view layer's pass is empty).
        red = [n for n in result.channels if n.startswith("Composite.") and n.endswith(".R")]
        if len(red) != 1:
            raise RuntimeError(f"the compositor's result has no single image: {sorted(result.channels)}")
        return result.layer(red[0].removesuffix("R"), "RGB")
    finally:
        if tree is not None and COMPOSITOR_GROUPS:  # 5.x: a data-block of its own; 4.5: the scene's, freed with it
            bpy.data.node_groups.remove(tree)
        bpy.data.scenes.remove(scene)
        for image in images:
            bpy.data.images.remove(image)
