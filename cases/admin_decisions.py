"""The webmaster's decisions in the admin: publish, ask for changes, reject, for one story or a selection.

Each calls the same service the rest of the site uses (``cases.services``). Asking for changes and
rejecting need a text for the contributor, written on a page of its own, starting from a ready-made
one (``cases.reasons``) if the webmaster likes: picking one fills the text box (with JavaScript at
once, without it by the "Use this text" button), and the text box can then be edited.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import CaseStory, Status
from .reasons import CHANGE_REQUESTS, REJECTION_REASONS
from .services import case_publish, case_reject, case_request_changes


@dataclass(frozen=True)
class Decision:
    """A decision that needs a text for the contributor."""

    name: str
    action: str  # the changelist action that asks for it
    texts: tuple
    title: Any
    intro: Any
    label: Any
    button: Any

    def eligible(self, story: CaseStory) -> bool:
        if self.name == "changes":
            return story.status == Status.PENDING
        return story.status != Status.REJECTED

    def apply(self, story: CaseStory, *, by, text: str) -> None:
        if self.name == "changes":
            case_request_changes(case=story, by=by, note=text)
        else:
            case_reject(case=story, by=by, reason=text)

    def done(self, n: int) -> str:
        if self.name == "changes":
            return ngettext(
                "%(n)d story sent back to its contributor for changes.",
                "%(n)d stories sent back to their contributors for changes.",
                n,
            ) % {"n": n}
        return ngettext("%(n)d story rejected.", "%(n)d stories rejected.", n) % {"n": n}


REJECT = Decision(
    name="reject",
    action="reject_selected",
    texts=REJECTION_REASONS,
    title=_("Reject stories"),
    intro=_(
        "These stories will not be published. The contributor receives your reason by email and on their status page."
    ),
    label=_("Reason, sent to the contributor"),
    button=_("Reject"),
)
CHANGES = Decision(
    name="changes",
    action="request_changes_selected",
    texts=CHANGE_REQUESTS,
    title=_("Ask for changes"),
    intro=_(
        "These stories go back to their contributors, who receive your note by email and edit the story on their "
        "status page, with everything they sent filled in. When they send it again, it waits here for review."
    ),
    label=_("Note, sent to the contributor"),
    button=_("Ask for changes"),
)


class DecisionForm(forms.Form):
    ready_made = forms.ChoiceField(label=_("Start from a ready-made text"), required=False, widget=forms.RadioSelect)
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=_("It is emailed to the contributor and shown on their status page."),
    )

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.texts = {key: str(text) for key, _label, text in decision.texts}
        self.fields["ready_made"].choices = [(key, label) for key, label, _text in decision.texts]
        self.fields["reason"].label = decision.label

    def options(self) -> list[tuple]:
        """Each ready-made text's radio button and its full text."""
        return [(box, self.texts[box.data["value"]]) for box in self["ready_made"]]

    def clean(self):
        cleaned = super().clean()
        cleaned["reason"] = (cleaned.get("reason") or "").strip() or self.texts.get(cleaned.get("ready_made"), "")
        if not cleaned["reason"] and "_fill" not in self.data:
            self.add_error("reason", self.fields["reason"].error_messages["required"])
        return cleaned

    def filled(self) -> "DecisionForm":
        """The page again, its text box holding the chosen ready-made text to edit (no JavaScript needed)."""
        chosen = self.cleaned_data.get("ready_made", "")
        return DecisionForm(
            initial={"ready_made": chosen, "reason": self.texts.get(chosen) or self.cleaned_data.get("reason", "")},
            decision=self.decision,
        )


class ModerationAdminMixin:
    """Decision views, buttons and changelist actions of ``CaseStoryAdmin``."""

    actions = ("publish_selected", "request_changes_selected", "reject_selected")

    def get_urls(self):
        view = self.admin_site.admin_view
        extra = [
            path("<int:pk>/reject/", view(self.reject_view), name="cases_casestory_reject"),
            path("<int:pk>/changes/", view(self.request_changes_view), name="cases_casestory_changes"),
            path("<int:pk>/publish/", view(self.publish_view), name="cases_casestory_publish"),
        ]
        return extra + super().get_urls()

    # --- Changelist actions ------------------------------------------------------------

    @admin.action(description=_("Publish selected stories"), permissions=["change"])
    def publish_selected(self, request, queryset):
        done = 0
        for story in queryset:
            if not story.is_public:
                case_publish(case=story, by=request.user)
                done += 1
        self.message_user(
            request,
            ngettext("%(n)d story published.", "%(n)d stories published.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Ask for changes to selected stories"), permissions=["change"])
    def request_changes_selected(self, request, queryset):
        return self._decide_selected(request, queryset, CHANGES)

    @admin.action(description=_("Reject selected stories"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._decide_selected(request, queryset, REJECT)

    def _decide_selected(self, request, queryset, decision: Decision):
        stories = list(queryset)
        eligible = [story for story in stories if decision.eligible(story)]
        form = DecisionForm(request.POST if "reason" in request.POST else None, decision=decision)
        if form.is_bound and form.is_valid() and "_fill" not in request.POST:
            for story in eligible:
                decision.apply(story, by=request.user, text=form.cleaned_data["reason"])
            self.message_user(request, decision.done(len(eligible)), messages.SUCCESS)
            if skipped := len(stories) - len(eligible):
                self.message_user(request, self._skipped(decision, skipped), messages.WARNING)
            return None
        if form.is_bound and "_fill" in request.POST and form.is_valid():
            form = form.filled()
        return self._decision_page(request, stories, form, bulk=True)

    def _skipped(self, decision: Decision, n: int) -> str:
        if decision is CHANGES:
            return ngettext(
                "%(n)d story was left as it was: changes can be asked only of a story waiting for review.",
                "%(n)d stories were left as they were: changes can be asked only of stories waiting for review.",
                n,
            ) % {"n": n}
        return ngettext("%(n)d story was already rejected.", "%(n)d stories were already rejected.", n) % {"n": n}

    # --- One story -------------------------------------------------------------------------

    def _story_for_decision(self, request, pk) -> CaseStory:
        story = get_object_or_404(CaseStory, pk=pk)
        if not self.has_change_permission(request, story):
            raise PermissionDenied
        return story

    def _change_url(self, story: CaseStory) -> str:
        return reverse("admin:cases_casestory_change", args=[story.pk])

    def publish_view(self, request, pk):
        story = self._story_for_decision(request, pk)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(story))
        case_publish(case=story, by=request.user)
        self.message_user(request, _("“%(title)s” is published.") % {"title": story.title}, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(story))

    def reject_view(self, request, pk):
        return self._decide_one(request, pk, REJECT)

    def request_changes_view(self, request, pk):
        return self._decide_one(request, pk, CHANGES)

    def _decide_one(self, request, pk, decision: Decision):
        story = self._story_for_decision(request, pk)
        if not decision.eligible(story):
            self.message_user(request, self._skipped(decision, 1), messages.WARNING)
            return HttpResponseRedirect(self._change_url(story))
        form = DecisionForm(request.POST or None, decision=decision)
        if request.method == "POST" and form.is_valid():
            if "_fill" in request.POST:
                return self._decision_page(request, [story], form.filled(), bulk=False)
            try:
                decision.apply(story, by=request.user, text=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                self.message_user(request, decision.done(1), messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(story))
        return self._decision_page(request, [story], form, bulk=False)

    def _decision_page(self, request, stories, form: DecisionForm, *, bulk: bool):
        decision = form.decision
        context = {
            **self.admin_site.each_context(request),
            "title": decision.title,
            "opts": self.model._meta,
            "stories": stories,
            "form": form,
            "decision": decision,
            "bulk": bulk,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + forms.Media(js=["cases/admin-reasons.js"]),
        }
        return TemplateResponse(request, "admin/cases/casestory/decide.html", context)
