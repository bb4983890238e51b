"""Outputs: processed tables, manifests (and later figures and reports)."""
