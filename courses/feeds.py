"""/courses/feed/ (RSS) and /courses/feed/atom/: published courses, newest first, with their coming sessions."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenjobs.core.feeds import FEED_SIZE, KeptFeed, PlainTextAtomFeed

from .models import Course


class CourseFeed(KeptFeed):
    title = gettext_lazy("Green Jobs Portal: training courses")
    description = gettext_lazy("New training courses and their coming sessions.")

    def link(self):
        return reverse("courses:list")

    def get_object(self, request):
        """The ids of the newest published courses (the feed is kept per content version and list)."""
        return list(Course.objects.published().order_by("-created", "-pk").values_list("pk", flat=True)[:FEED_SIZE])

    def items(self, obj):
        courses = Course.objects.published().with_upcoming_starts().with_theme_names().in_bulk(obj)
        return [courses[pk] for pk in obj if pk in courses]

    def item_description(self, item):
        starts = item.upcoming_starts or []
        if not starts:
            return item.summary
        days = ", ".join(f"{start:%d %b %Y}" for start in starts[:3])
        return f"{item.summary} " + _("Next sessions: %(days)s.") % {"days": days}


class CourseAtomFeed(CourseFeed):
    feed_type = PlainTextAtomFeed
    subtitle = CourseFeed.description
