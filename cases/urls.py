from django.urls import path, register_converter
from django.views.decorators.cache import cache_control

from . import feeds, views


class StatusTokenConverter:
    """The characters of ``secrets.token_urlsafe``; anything else (a NUL byte, a dot) is a 404 unasked."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StatusTokenConverter, "status_token")
private = cache_control(private=True, no_store=True)

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("submit/", views.case_submit_view, name="submit"),
    path("submit/thanks/", views.case_thanks, name="thanks"),
    # A contributor's private pages: never kept by the page cache, a browser or a proxy.
    path("submit/thanks/<status_token:token>/", private(views.case_thanks), name="thanks_for"),
    path("status/<status_token:token>/", private(views.case_status), name="status"),
    path("feed/", feeds.CaseStoryFeed(), name="feed"),
    path("feed/atom/", feeds.CaseStoryAtomFeed(), name="feed_atom"),
    path("<slug:slug>/", views.case_detail, name="detail"),
]
