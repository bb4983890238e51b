"""What the notebooks display: tables built from a run (``tables``) with headers in the
chosen language (``headers``), and the report section with its figures inline (``inline``)."""
