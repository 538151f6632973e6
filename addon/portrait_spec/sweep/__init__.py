"""``portrait_spec sweep``: render a sweep's variants into a resumable dataset, with a pool of
local Blender workers or on a Dask cluster. Needs no bpy itself; its workers do."""
