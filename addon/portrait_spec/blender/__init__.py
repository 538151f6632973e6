"""The Blender layer: everything here imports bpy. Nothing in ``core`` imports from here."""
