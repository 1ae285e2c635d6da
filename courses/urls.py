from django.urls import path

from . import feeds, views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("feed/", feeds.CourseFeed(), name="feed"),
    path("feed/atom/", feeds.CourseAtomFeed(), name="feed_atom"),
    path("<slug:slug>/calendar.ics", views.course_calendar_feed, name="calendar"),
    path("<slug:slug>/", views.course_detail, name="detail"),
    path("<slug:slug>/sessions/<int:pk>.ics", views.session_ics, name="session_ics"),
]
