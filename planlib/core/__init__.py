"""Core layer: pure functions on frames and arrays (progress, models, evaluation)."""
