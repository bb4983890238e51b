"""The forecast section of the report: built from an `Evaluation` (``section``), worded by
``text``, numbers by ``numbers``, written as Markdown, HTML, DOCX and tables (``to_*``).

``build_section`` and ``write_report`` are the documented entry points (README)."""

from planlib.outputs.report.section import Section, build_section, write_report, write_reports

__all__ = ["Section", "build_section", "write_report", "write_reports"]
