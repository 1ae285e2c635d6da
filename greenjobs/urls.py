from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.urls import include, path, re_path

from . import views
from .media import media_serve

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
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
