"""Sweeps: a base spec varied over grids and sampled ranges into validated, identified variants
(pure Python; the runner that renders them is ``portrait_spec.sweep``)."""
