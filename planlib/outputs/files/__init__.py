"""Writing files safely: atomic writes, a staged folder moved in with its manifest last,
formula-safe cells, file modes, fixed zip stamps, output-folder checks and the processed
tables."""
