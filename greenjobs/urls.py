"""The one module that knows every app: it mounts each app's URLs and the site-wide pages."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from greenjobs.core import views
from greenjobs.core.media import media_serve
from greenjobs.discovery import feeds, home, search_views, sitemaps
from greenjobs.discovery import themes as theme_views

theme_urls = (
    [
        path("", theme_views.theme_list, name="list"),
        path("<slug:slug>/", theme_views.theme_detail, name="detail"),
        path("<slug:slug>/feed/", feeds.ThemeFeed(), name="feed"),
        path("<slug:slug>/feed/atom/", feeds.ThemeAtomFeed(), name="feed_atom"),
    ],
    "themes",
)

# Machines' addresses: the same in every language.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    re_path(r"^sitemap-(?P<section>[a-z]+(?:-[0-9]{1,6})?)\.xml$", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path("admin/", admin.site.urls),
    re_path(r"^media/(?P<path>.+)$", media_serve, name="media"),
]

# Pages: English at today's addresses, French under /fr/, Spanish under /es/ (feeds and calendars of a
# section stay at their English address, and have a French and a Spanish one too).
urlpatterns += i18n_patterns(
    path("", home.home, name="home"),
    path("search/", search_views.search_page, name="search"),
    path("themes/", include(theme_urls)),
    path("cases/", include("cases.urls")),
    path("events/", include("events.urls")),
    path("courses/", include("courses.urls")),
    path("contact/", flatpage_views.flatpage, {"url": "/contact/"}, name="contact"),
    re_path(r"^(?P<url>about/[-\w/]*)$", flatpage_views.flatpage, name="about"),
    prefix_default_language=False,
)

handler404 = "greenjobs.core.views.page_not_found"
handler500 = "greenjobs.core.views.server_error"
