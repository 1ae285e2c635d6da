import uuid

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from PIL import Image
from taggit.models import Tag

from .models import OrganisationType
from .photos import photo_check, photo_open

TEXT_MAX = 10_000


def _area(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CaseSubmitForm(forms.Form):
    """The public "share your story" form. Its labels are a contract (see issue 4)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language of your story"),
        choices=settings.LANGUAGES,
        required=False,  # a form sent without it (an older page) takes the page's language
        help_text=_("The language you write it in: English, French or Spanish."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=_area(3),
        help_text=_("One or two sentences, at most 300 characters."),
    )
    challenge = forms.CharField(
        label=_("The challenge"), max_length=TEXT_MAX, widget=_area(), help_text=_("What problem did you face?")
    )
    actions = forms.CharField(
        label=_("What was done"), max_length=TEXT_MAX, widget=_area(), help_text=_("Who did what, and how?")
    )
    environment_results = forms.CharField(
        label=_("Results for the environment"),
        max_length=TEXT_MAX,
        widget=_area(),
        help_text=_("Energy, emissions, waste, water or nature: what changed? Figures help."),
    )
    job_results = forms.CharField(
        label=_("Results for jobs and working conditions"),
        max_length=TEXT_MAX,
        widget=_area(),
        help_text=_("Jobs created or improved, pay, safety, skills, rights, a voice at work."),
    )
    lessons = forms.CharField(
        label=_("Lessons learnt"),
        max_length=TEXT_MAX,
        required=False,
        widget=_area(4),
        help_text=_("Optional: what would you tell someone who wants to do the same?"),
    )
    country = forms.ChoiceField(label=_("Country"), choices=())
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"), choices=[("", _("Choose a type")), *OrganisationType.choices]
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Tag.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: tick every theme your story is about."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "Optional: JPEG, PNG or WebP, at most 10 MB. We remove its hidden data, such as where it was taken."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_description = forms.CharField(
        label=_("Photo description"),
        max_length=250,
        required=False,
        help_text=_(
            "Needed with a photo: describe it for people who cannot see it, "
            "e.g. “Two technicians install a solar panel”."
        ),
    )
    contributor_name = forms.CharField(
        label=_("Your name"), max_length=200, help_text=_("Only the webmaster sees it. It is never published.")
    )
    contributor_email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        help_text=_("We send your private status link here. It is never published."),
    )
    consent = forms.BooleanField(label=_("I agree that this story and photo may be published on this site"))
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    submission_key = forms.Field(required=False, initial=uuid.uuid4, widget=forms.HiddenInput)

    error_messages = {
        "photo": _("Upload a JPEG, PNG or WebP photo of at most 10 MB"),
        "photo_description": _("Describe the photo for people who cannot see it, or send the story without a photo."),
    }
    has_honeypot = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *countries]
        self.fields["language"].initial = get_language() or settings.LANGUAGE_CODE  # the page's language
        self.fields["photo"].error_messages["invalid"] = self.error_messages["photo"]
        self.fields["photo"].error_messages["empty"] = self.error_messages["photo"]
        self._describe({})

    @classmethod
    def retyped(cls, data, **kwargs) -> "CaseSubmitForm":
        """An unbound form showing what was typed, without judging it (nothing is validated or decoded)."""
        initial = {}
        for name, field in cls.base_fields.items():
            if name in {"photo", "website"}:
                continue
            if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                initial[name] = data.getlist(name)
            elif isinstance(field, forms.BooleanField):
                initial[name] = bool(data.get(name))
            elif name in data:
                initial[name] = data.get(name)
        if "submission_key" in cls.base_fields:
            initial["submission_key"] = submission_key(data.get("submission_key")) or uuid.uuid4()
        return cls(initial=initial, **kwargs)

    @property
    def photo_sent(self) -> bool:
        """Whether a file was chosen: after an error, browsers cannot keep it, so it must be chosen again."""
        return bool(self.files.get("photo"))

    def will_have_photo(self, cleaned: dict) -> bool:
        return cleaned.get("photo") is not None

    def clean_photo(self):
        """Judge the photo by its header only; it is decoded once, in clean(), if all else is valid."""
        photo = self.cleaned_data["photo"]
        if photo is not None:
            photo_check(photo)
        return photo

    def clean_submission_key(self):
        return submission_key(self.cleaned_data["submission_key"])

    def clean(self):
        cleaned = super().clean()
        if self.will_have_photo(cleaned) and not cleaned.get("photo_description") and "photo" not in self._errors:
            self.add_error("photo_description", self.error_messages["photo_description"])
        if not self._errors and cleaned.get("photo") is not None:
            try:
                cleaned["photo"] = photo_open(cleaned["photo"])
            except forms.ValidationError as error:
                self.add_error("photo", error)
        return cleaned

    def story(self) -> dict:
        """The valid data as ``case_submit`` takes it."""
        return {name: value for name, value in self.cleaned_data.items() if name != "website"}

    def release(self) -> None:
        """Close the decoded photo and break the form's reference cycles, so nothing outlives the request.

        Each bound field points back at the form, and an error raised by the service holds, in its
        traceback, the view's frame and so the form: cycles the garbage collector would free late,
        with the photo and the uploads in them.
        """
        photo = getattr(self, "cleaned_data", {}).get("photo")
        if isinstance(photo, Image.Image):
            photo.close()
        self._bound_fields_cache.clear()
        self._forget_tracebacks()
        self.cleaned_data = {}

    def full_clean(self):
        super().full_clean()
        self._forget_tracebacks()
        self._describe(self._errors or {})

    def _forget_tracebacks(self) -> None:
        """A caught error's traceback holds the frame that cleaned it (the form, the upload): a cycle.
        The message is all the form needs."""
        for errors in (self._errors or {}).values():
            for error in errors.as_data():
                error.__traceback__ = error.__cause__ = error.__context__ = None

    def _describe(self, errors) -> None:
        """Point every field at its error and help text (ids used by the template)."""
        for name, field in self.fields.items():
            described = []
            if errors.get(name):
                described.append(f"{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if field.help_text:
                described.append(f"{name}-help")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())


class CaseResendForm(CaseSubmitForm):
    """The story sent back for changes, on the contributor's status page: the same fields as sent,
    the photo kept unless a new one is chosen (or it is removed)."""

    website = None
    submission_key = None
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    has_honeypot = False

    def __init__(self, *args, story, **kwargs):
        if not args and "initial" not in kwargs:
            kwargs["initial"] = story_initial(story)
        self.case = story
        super().__init__(*args, **kwargs)
        if story.photo:
            self.fields["photo"].help_text = _(
                "Your photo is kept. To replace it, choose a new one: JPEG, PNG or WebP, at most 10 MB."
            )
        else:
            del self.fields["remove_photo"]
        self._describe({})

    def will_have_photo(self, cleaned: dict) -> bool:
        return cleaned.get("photo") is not None or (bool(self.case.photo) and not cleaned.get("remove_photo"))


def story_initial(story) -> dict:
    """The form's fields as the story has them now: nothing to type again."""
    initial = {name: getattr(story, name) for name in CaseResendForm.base_fields if hasattr(story, name)}
    for name in ("photo", "themes", "consent", "remove_photo"):
        initial.pop(name, None)
    initial["country"] = story.country.code if story.country else ""
    initial["themes"] = [theme.slug for theme in story.themes.all()]
    initial["consent"] = story.consent
    return initial


def submission_key(value) -> uuid.UUID | None:
    """The form's one-time key, or None for anything that is not a UUID."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value or "").strip()[:64])
    except ValueError:
        return None
