"""One writer per prompt target. Each takes the gathered facts and returns its text.

Every target says the most important thing first, the way a prompt artist orders a prompt:
what the picture is and who is in it (framing, the word "photograph", the sitter, the chain),
then the look of the backdrop and the light (cyclorama and its colour, key, fill, rim, colour
temperature, lens), then the measured detail (skin optics, the metal up close), then the
optional render-engine tag. SDXL also pulls its priority tags to the front (see ``sdxl``).
"""
