from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from taggit.models import Tag

from .models import OrganisationType
from .photos import photo_open

TEXT_MAX = 10_000


def _area(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CaseSubmitForm(forms.Form):
    """The public "share your story" form. Its labels are a contract (see issue 4)."""

    title = forms.CharField(label=_("Title"), max_length=200)
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
        help_text=_("JPEG, PNG or WebP, at most 10 MB. We remove its hidden data, such as where it was taken."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_description = forms.CharField(
        label=_("Photo description"),
        max_length=250,
        help_text=_("Describe the photo for people who cannot see it, e.g. “Two technicians install a solar panel”."),
    )
    contributor_name = forms.CharField(
        label=_("Your name"), max_length=200, help_text=_("Only the webmaster sees it. It is never published.")
    )
    contributor_email = forms.EmailField(
        label=_("Your email"),
        help_text=_("We send your private status link here. It is never published."),
    )
    consent = forms.BooleanField(label=_("I agree that this story and photo may be published on this site"))
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    error_messages = {"photo": _("Upload a JPEG, PNG or WebP photo of at most 10 MB")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *countries]
        self.fields["photo"].error_messages["required"] = self.error_messages["photo"]
        self.fields["photo"].error_messages["invalid"] = self.error_messages["photo"]
        self.fields["photo"].error_messages["empty"] = self.error_messages["photo"]
        self._describe({})

    def clean_photo(self):
        """Return the decoded image, so the service does not decode it twice."""
        return photo_open(self.cleaned_data["photo"])

    def full_clean(self):
        super().full_clean()
        self._describe(self._errors or {})

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
