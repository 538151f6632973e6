"""The pure core: spec model, validation, units, photometry and prompt writing. Never imports bpy."""
