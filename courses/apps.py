from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"

    def ready(self):
        """Declare what the app publishes: the discovery layer finds it only here."""
        from greenjobs.core.registry import Block, NavLink, Publication, registry

        from . import calendar, search, sitemaps, themes
        from .models import Course

        registry.register(
            Publication(
                app_label=self.label,
                kind=search.KIND,
                model=Course,
                label=_("Course"),
                order=30,
                nav=(NavLink("courses:list", _("Courses"), order=20),),
                list_url="courses:list",
                index=search.course_fields,
                sitemap_rows=sitemaps.sitemap_rows,
                theme_section=Block("courses/_theme_section.html", themes.theme_section),
                theme_feed_items=themes.theme_feed_items,
                home=(Block("courses/_home.html"),),
                page_params={"courses:list": ("format", "language", "page", "theme")},
                demo="courses.demo",
                calendar_entries=calendar.calendar_entries,
            )
        )
