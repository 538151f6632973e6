"""One writer per prompt target. Each takes the gathered facts and returns its text.

Sections come in order of importance, the same for every target: what the picture is (framing,
lens, camera height), the light that shapes it (key, fill, rim, colour temperature), the skin
under that light, the metal, the backdrop, then the optional render-engine tag. SDXL also pulls
its priority tags to the front (see ``sdxl``).
"""
