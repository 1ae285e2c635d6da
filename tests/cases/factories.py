from io import BytesIO

import factory
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from cases.models import CaseStory, OrganisationType, Status
from cases.photos import photo_store

from .images import image_bytes


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Theme {n}")


class CaseStoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStory
        skip_postgeneration_save = True

    class Params:
        pending = factory.Trait(status=Status.PENDING, published_at=None)
        rejected = factory.Trait(status=Status.REJECTED, published_at=None, decision_reason="Not about green jobs.")

    title = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-number-{n}")
    summary = "Workers and a firm cut waste and created good jobs."
    challenge = "The challenge in a few words."
    actions = "What was done, step by step."
    environment_results = "Less waste and energy."
    job_results = "Twenty jobs with contracts."
    lessons = ""
    country = "NP"
    organisation = "Green Works Ltd"
    organisation_type = OrganisationType.ENTERPRISE
    contributor_name = "Asha Contributor"
    contributor_email = factory.Sequence(lambda n: f"contributor{n}@example.org")
    consent = True
    consent_at = factory.LazyFunction(timezone.now)
    status = Status.PUBLISHED
    submitted_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)
    photo_description = "Two workers install a solar panel"

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.add(*extracted)

    @factory.post_generation
    def photo_file(self, create, extracted, **kwargs):
        """A real stored photo with renditions; pass ``photo_file=False`` for none."""
        if not create or extracted is False:
            return
        stored = photo_store(Image.open(BytesIO(image_bytes())).convert("RGB"))
        self.photo.name = stored.name
        self.photo_width, self.photo_height = stored.width, stored.height
        self.photo_renditions = stored.renditions
        self.save(update_fields=["photo", "photo_width", "photo_height", "photo_renditions"])
