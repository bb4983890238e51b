"""planlib: mid-term evaluation of five-year plan indicators."""

__version__ = "0.1.0"
