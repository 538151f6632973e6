"""The incident meter at the focus point: form factors, emitters as Cycles sees them, stops."""
