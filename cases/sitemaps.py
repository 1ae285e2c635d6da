"""The cases section of the sitemap (/sitemap-cases.xml): every public item's address and last change."""

from greenjobs.core.sitemaps import slug_rows

from .models import CaseStory

sitemap_rows = slug_rows(CaseStory.objects.published, "cases:detail", "published_at")
