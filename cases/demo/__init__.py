"""Demo case stories (stories.toml) with their photos (media/), plus a small moderation queue; a few
stories written in French (stories.fr.toml) and Spanish (stories.es.toml), without photos."""

from django.utils import timezone
from PIL import Image

from cases.models import CaseStory
from cases.photos import photo_store
from cases.revisions import submission_record
from greenjobs.core import demo

PHOTO_CREDIT = "Green Jobs Portal (illustration)"
KEYS = {"slug", "themes", "photo", "submitted_days_ago", "published_days_ago"}  # read here, not model fields

CONTENT = "case stories"  # what has_content() looks for, as load_demo --if-empty names it


def stories() -> list[dict]:
    """The English stories, then those written in French and in Spanish (each gives its ``language``)."""
    written = [demo.read(__file__, "stories.toml")["stories"]]
    written += [data.get("stories", []) for data in demo.translations(__file__, "stories.toml").values()]
    return [story for stories_in in written for story in stories_in]


def has_content() -> bool:
    return CaseStory.objects.exists()


def _photo(story: CaseStory, name: str) -> None:
    """Store the committed photo as a contributor's would be: a master and its renditions, under a new name."""
    with Image.open(demo.media_path(__file__, name)) as image:
        stored = photo_store(image.convert("RGB"))
    story.photo.name = stored.name
    story.photo_width, story.photo_height = stored.width, stored.height
    story.photo_renditions = stored.renditions
    story.photo_description = f"Illustration: {story.title.lower()}"
    story.photo_credit = PHOTO_CREDIT
    story.save()


def load() -> str:
    """Create the demo stories that are missing (by slug), with their themes and photo; never touch one that exists."""
    names = demo.theme_tags_ensure()
    now = timezone.now()
    created = 0
    for spec in stories():
        submitted = demo.days_ago(now, spec["submitted_days_ago"])
        defaults = {key: value for key, value in spec.items() if key not in KEYS}
        defaults.update(consent=True, consent_at=submitted, submitted_at=submitted)
        if "published_days_ago" in spec:
            defaults["published_at"] = demo.days_ago(now, spec["published_days_ago"])
        story, was_created = CaseStory.objects.get_or_create(slug=spec["slug"], defaults=defaults)
        if was_created:
            created += 1
            story.themes.add(*demo.themes(spec["themes"]))
            if "photo" in spec:
                _photo(story, spec["photo"])
            submission_record(story, at=submitted)  # as its contributor sent it
    published = CaseStory.objects.published().count()
    pending = CaseStory.objects.pending().count()
    return f"{created} stories created; {published} published, {pending} pending; {len(names)} themes"
