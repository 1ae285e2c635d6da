"""Validators of event fields: the slugs the URLconf keeps, and document files."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Paths under /events/ that the URLconf routes before slugs: an event may not take them.
RESERVED_SLUGS = {"past", "calendar", "jump", "feed"}
DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "odt", "odp", "ods", "txt", "csv"]
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def validate_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(value)s” is reserved for a page of the site."), params={"value": value})


def validate_document_size(file) -> None:
    if file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB. Please upload a smaller file."), code="too_large")
