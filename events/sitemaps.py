"""The events section of the sitemap (/sitemap-events.xml): every public item's address and last change."""

from greenjobs.core.sitemaps import slug_rows

from .models import Event

sitemap_rows = slug_rows(Event.objects.published, "events:detail", "updated")
