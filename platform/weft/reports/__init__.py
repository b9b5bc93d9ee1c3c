"""Reports as data (``plugins/<module>/reports/*.yaml``): definitions and their checks."""

from .definition import ReportDefinition, parse_report

__all__ = ["ReportDefinition", "parse_report"]
