from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from . import feeds, search_views, sitemaps, theme_views, views
from .media import media_serve

theme_urls = (
    [
        path("", theme_views.theme_list, name="list"),
        path("<slug:slug>/", theme_views.theme_detail, name="detail"),
        path("<slug:slug>/feed/", feeds.ThemeFeed(), name="feed"),
        path("<slug:slug>/feed/atom/", feeds.ThemeAtomFeed(), name="feed_atom"),
    ],
    "themes",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("search/", search_views.search_page, name="search"),
    path("themes/", include(theme_urls)),
    path("cases/feed/", feeds.CaseStoryFeed(), name="cases_feed"),
    path("cases/feed/atom/", feeds.CaseStoryAtomFeed(), name="cases_feed_atom"),
    path("events/feed/", feeds.EventFeed(), name="events_feed"),
    path("events/feed/atom/", feeds.EventAtomFeed(), name="events_feed_atom"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    re_path(r"^sitemap-(?P<section>[a-z]+(?:-[0-9]{1,6})?)\.xml$", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path("cases/", include("cases.urls")),
    path("events/", include("events.urls")),
    path("courses/", include("courses.urls")),
    path("admin/", admin.site.urls),
    path("contact/", flatpage_views.flatpage, {"url": "/contact/"}, name="contact"),
    re_path(r"^(?P<url>about/[-\w/]*)$", flatpage_views.flatpage, name="about"),
    re_path(r"^media/(?P<path>.+)$", media_serve, name="media"),
]

handler404 = "greenjobs.views.page_not_found"
handler500 = "greenjobs.views.server_error"
