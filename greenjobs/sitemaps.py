"""/sitemap.xml: every public page, published items only, with lastmod where known."""

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import SearchDocument
from .search import themes_with_counts


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


class StaticSitemap(Sitemap):
    """Home and the list pages; lastmod is the newest change among the public items."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        lists = [("cases:list", "cases.CaseStory"), ("events:list", "events.Event"), ("courses:list", "courses.Course")]
        return ["home", "themes:list"] + [name for name, label in lists if _model(label)]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if not hasattr(self, "_latest"):
            self._latest = SearchDocument.objects.aggregate(latest=Max("updated"))["latest"]
        return self._latest


class FlatPageSitemap(Sitemap):
    """About pages; lastmod is when their search row was last written (on every save)."""

    priority = 0.6

    def items(self):
        return list(SearchDocument.objects.filter(kind=SearchDocument.Kind.PAGE).order_by("url"))

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.updated


class CaseStorySitemap(Sitemap):
    priority = 0.7

    def items(self):
        return _model("cases.CaseStory").objects.published().only("slug", "published_at")

    def lastmod(self, item):
        return item.published_at


class EventSitemap(Sitemap):
    def items(self):
        return _model("events.Event").objects.published().order_by("-starts_at").only("slug", "updated")

    def lastmod(self, item):
        return item.updated


class CourseSitemap(Sitemap):
    def items(self):
        return _model("courses.Course").objects.published().order_by("title").only("slug", "updated")

    def lastmod(self, item):
        return item.updated


class ThemeSitemap(Sitemap):
    """Themes with at least one published item; lastmod is their newest item's change."""

    priority = 0.5

    def items(self):
        return themes_with_counts(used_only=True)

    def location(self, item):
        return reverse("themes:detail", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.last_change


def sitemaps() -> dict[str, type[Sitemap]]:
    found = {"static": StaticSitemap, "pages": FlatPageSitemap}
    for section, label, sitemap in [
        ("cases", "cases.CaseStory", CaseStorySitemap),
        ("events", "events.Event", EventSitemap),
        ("courses", "courses.Course", CourseSitemap),
    ]:
        if _model(label) is not None:
            found[section] = sitemap
    found["themes"] = ThemeSitemap
    return found
