from django.urls import path, re_path

from . import feeds, views

app_name = "events"

# Fixed paths and the month route come before the slug routes.
urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.event_past, name="past"),
    path("feed/", feeds.EventFeed(), name="feed"),
    path("feed/atom/", feeds.EventAtomFeed(), name="feed_atom"),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("calendar/", views.month_jump, name="jump"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.event_month, name="month"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.event_detail, name="detail"),
]
