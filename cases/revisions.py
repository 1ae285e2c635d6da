"""What the contributor sent, kept unchanged, and what changed since: a readable diff, field by field.

Each sending (the first and every one after a request for changes) stores a ``StorySubmission``
with the fields below as they were sent. The admin compares the latest one with the story as it
stands (what the webmaster changed), the published email says whether the text was edited, and
the contributor's status page shows both.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries import countries

from .models import CaseStory, OrganisationType, StorySubmission

# The fields a contributor writes, in the order of the form.
SENT_FIELDS = (
    "title",
    "summary",
    "challenge",
    "actions",
    "environment_results",
    "job_results",
    "lessons",
    "country",
    "organisation",
    "organisation_type",
    "themes",
    "photo",
    "photo_description",
)
TOKENS = re.compile(r"\s+|[^\s]+")
# Fields compared as one value, not word by word.
WHOLE = {"country", "organisation_type", "photo"}


def story_fields(case: CaseStory, themes=None) -> dict:
    """The story's sent fields as they are now: text as stored, the country's code, theme names, the photo's file."""
    fields = {name: getattr(case, name) for name in SENT_FIELDS if name not in {"country", "themes", "photo"}}
    fields["country"] = case.country.code if case.country else ""
    names = [getattr(t, "name", t) for t in (case.themes.all() if themes is None else themes)]
    fields["themes"] = sorted(names, key=str.casefold)
    fields["photo"] = case.photo.name or ""
    return fields


def submission_record(case: CaseStory, *, themes=None, at=None) -> StorySubmission:
    """Keep the story as it was just sent."""
    submission = StorySubmission(case=case, fields=story_fields(case, themes))
    if at is not None:
        submission.sent_at = at
    submission.save(force_insert=True)
    return submission


def latest_sent(case: CaseStory) -> StorySubmission | None:
    return case.submissions.order_by("-sent_at", "-pk").first()


def label(name: str) -> str:
    return capfirst(CaseStory._meta.get_field(name).verbose_name)


def shown(name: str, value) -> str:
    """A field's value as people read it."""
    if name == "country":
        return str(countries.name(value)) if value else ""
    if name == "organisation_type":
        return str(dict(OrganisationType.choices).get(value, value))
    if name == "themes":
        return ", ".join(value or [])
    if name == "photo":
        return _("a photo") if value else _("no photo")
    return str(value or "")


def diff_html(before: str, after: str) -> SafeString:
    """Word by word: removed words in ``<del>``, added ones in ``<ins>`` (a space apart when one replaces the
    other), all escaped; line breaks kept."""
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"{' ' if i2 > i1 else ''}<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return mark_safe("".join(parts).replace("\r\n", "\n").replace("\n", "<br>"))


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str

    @property
    def html(self) -> SafeString:
        if self.name == "photo" and self.before == self.after:
            return mark_safe(escape(_("The photo was replaced.")))
        if self.name in WHOLE:
            return mark_safe(f"<del>{escape(self.before)}</del> <ins>{escape(self.after)}</ins>")
        return diff_html(self.before, self.after)


def changes(before: dict, after: dict) -> list[FieldChange]:
    """The fields that differ, in the form's order."""
    found = []
    for name in SENT_FIELDS:
        if name not in before or name not in after:
            continue
        old, new = before[name], after[name]
        if old != new:
            found.append(FieldChange(name, label(name), shown(name, old), shown(name, new)))
    return found


def edits_since_sent(case: CaseStory, sent: StorySubmission | None = None) -> list[FieldChange] | None:
    """What changed since the contributor last sent the story, or None when no copy was kept (sent before revisions)."""
    sent = sent or latest_sent(case)
    if sent is None:
        return None
    return changes(sent.fields, story_fields(case))


def rounds(case: CaseStory) -> list[dict]:
    """Every sending, oldest first, with what the contributor changed since the one before."""
    found, previous = [], None
    for number, sent in enumerate(case.submissions.order_by("sent_at", "pk"), start=1):
        found.append(
            {
                "number": number,
                "sent": sent,
                "changes": changes(previous.fields, sent.fields) if previous else None,
            }
        )
        previous = sent
    return found


def sent_rows(fields: dict) -> list[tuple[str, str, str]]:
    """(name, label, value) of each field that was filled, as people read it, for the status page."""
    return [
        (name, label(name), shown(name, fields[name]))
        for name in SENT_FIELDS
        if name in fields and name != "photo" and fields[name]
    ]
