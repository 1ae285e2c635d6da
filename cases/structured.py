"""Machine-readable views of a case story: schema.org JSON-LD."""

from django.utils.safestring import SafeString

from greenjobs.core.siteurl import absolute
from greenjobs.core.structured import json_ld

from .models import CaseStory


def story_json_ld(story: CaseStory) -> SafeString:
    """schema.org Article, safe to put inside <script>."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": story.title,
        "description": story.summary,
        "url": absolute(story.get_absolute_url()),
    }
    if story.published_at:
        data["datePublished"] = story.published_at.isoformat()
    if story.photo:
        data["image"] = absolute(story.rendition_url(1200))
    return json_ld(data)
