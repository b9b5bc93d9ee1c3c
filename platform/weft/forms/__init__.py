"""Forms as data: definitions, checks against entities, the rendering model, validation."""

from .checks import check_form
from .definition import FormDefinition, parse_form
from .rendering import render
from .validation import FormInvalid, Submission, validate_submission

__all__ = ["FormDefinition", "FormInvalid", "Submission", "check_form", "parse_form", "render",
           "validate_submission"]
