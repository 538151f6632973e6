"""Materials built from the spec: skin, gold and eyes (one module each)."""
