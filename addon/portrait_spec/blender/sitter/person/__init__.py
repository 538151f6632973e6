"""The parametric person: MakeHuman's CC0 data shaped, posed, dressed and placed (see README.md)."""
