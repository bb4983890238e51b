"""Outputs, in four rooms: ``report`` (the forecast section as Markdown, HTML, DOCX and
tables), ``figures`` (charts, their words and style), ``files`` (safe, atomic, staged
writing with manifests) and ``display`` (the notebooks' tables)."""
