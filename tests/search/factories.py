"""Factories for the items the search covers: the apps' own factories, plus about pages."""

import factory
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from tests.cases.factories import CaseStoryFactory, TagFactory
from tests.courses.factories import CourseFactory
from tests.events.factories import EventFactory

__all__ = ["CaseStoryFactory", "CourseFactory", "EventFactory", "FlatPageFactory", "TagFactory", "case"]


def case(**kwargs):
    """A published story without a photo (fast)."""
    kwargs.setdefault("photo_file", False)
    return CaseStoryFactory(**kwargs)


class FlatPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlatPage
        skip_postgeneration_save = True

    url = factory.Sequence(lambda n: f"/about/page-{n}/")
    title = factory.Sequence(lambda n: f"About page {n}")
    content = "<p>An about page.</p>"

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create:
            self.sites.add(Site.objects.get_current())
