"""Inputs: the plan model, observation readers and validation."""
