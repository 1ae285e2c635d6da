"""The courses section of the sitemap (/sitemap-courses.xml): every public item's address and last change."""

from greenjobs.core.sitemaps import slug_rows

from .models import Course

sitemap_rows = slug_rows(Course.objects.published, "courses:detail", "updated")
