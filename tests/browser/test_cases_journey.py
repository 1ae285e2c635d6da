"""The contributor's journey in Chromium, and screenshots of the case pages at both widths."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cases.models import CaseStory, Status
from tests.cases.images import image_bytes

from .conftest import WIDTHS, no_horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = {
    "Title": "Women run a solar repair workshop",
    "Summary": "Twelve women trained as solar technicians now repair lamps and panels for three villages.",
    "The challenge": "Broken solar lamps were thrown away.\n\nNobody nearby could repair them.",
    "What was done": "A cooperative trained twelve women. See https://example.org/report for details.",
    "Results for the environment": "Fewer batteries and lamps end up in the river.",
    "Results for jobs and working conditions": "Twelve paid jobs with safety equipment.",
    "Lessons learnt": "Start with the repairs people ask for.",
    "Organisation": "Sun Sisters Cooperative",
    "Photo description": "Two women test a solar lamp at a workbench",
    "Your name": "Sita",
    "Your email": "sita@example.org",
}


def fill_story(page, tmp_path):
    for label, value in LABELS.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Country", exact=True).select_option("NP")
    page.get_by_label("Type of organisation", exact=True).select_option("cooperative")
    page.get_by_role("group", name="Themes").get_by_label("Renewable energy").check()
    photo = tmp_path / "workshop.jpg"
    photo.write_bytes(image_bytes(size=(1600, 1000), exif=True))
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    page.get_by_label("I agree that this story and photo may be published on this site").check()


def test_contributor_submits_webmaster_publishes_story_appears(page, webmaster, tmp_path, screenshot):
    from taggit.models import Tag

    Tag.objects.create(name="Renewable energy")

    # 1. A contributor fills the form by its labels, with a photo, and sees the thanks page.
    page.goto("/cases/submit/")
    fill_story(page, tmp_path)
    page.get_by_role("button", name="Send my story").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you: your story awaits review"
    story = CaseStory.objects.get()
    assert story.status == Status.PENDING and story.photo_renditions
    status_url = re.search(r"https?://\S+(/cases/status/\S+/)", mail.outbox[0].body).group(1)
    expect(page.get_by_text("Keep this link")).to_be_visible()  # and the link itself, as in the email
    assert page.locator(".case-status-link a").get_attribute("href").endswith(status_url)

    # 2. The story is not public.
    assert page.goto(f"/cases/{story.slug}/").status == 404
    page.goto("/cases/")
    assert page.get_by_text(LABELS["Title"]).count() == 0
    page.goto(status_url)
    assert page.get_by_text("Pending review").is_visible()

    # 3. The webmaster logs in at /admin/ and publishes it.
    page.goto("/admin/")
    page.get_by_label("Username").fill("webmaster")
    page.get_by_label("Password").fill("webmaster-pass-123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("1 story waits for review.")).to_be_visible()
    page.get_by_role("link", name="Review them").click()
    page.get_by_role("row", name=re.compile(LABELS["Title"])).get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish selected stories")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 story published.")).to_be_visible()
    screenshot(page, "cases-admin-changelist")
    page.goto(f"/admin/cases/casestory/{story.pk}/change/")
    expect(page.get_by_text("Decision history")).to_be_visible()
    screenshot(page, "cases-admin-change")

    # 4. The story appears on /cases/, and the status link says published.
    page.context.clear_cookies()
    page.goto("/cases/")
    page.get_by_role("link", name=LABELS["Title"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == LABELS["Title"]
    assert page.get_by_text("Nobody nearby could repair them.").is_visible()
    assert page.locator('a[rel="nofollow ugc noopener"][href="https://example.org/report"]').count() == 1
    photo = page.get_by_role("img", name=LABELS["Photo description"])
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "800w" in photo.get_attribute("srcset")
    page.goto(status_url)
    assert page.get_by_text("Published", exact=True).is_visible()
    page.get_by_role("link", name="Read your story on the site").click()
    assert page.get_by_role("heading", level=1).inner_text() == LABELS["Title"]


@pytest.mark.parametrize("device", WIDTHS)
def test_case_pages_fit_the_screen(page, screenshot, device, tmp_path):
    from cases import demo

    demo.load()
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})

    page.goto("/cases/")
    assert page.get_by_role("heading", level=1).inner_text() == "Case stories"
    assert page.locator(".case-card").count() == 12
    assert no_horizontal_overflow(page)
    screenshot(page, f"cases-list-{device}")

    page.goto("/cases/?theme=renewable-energy")
    filters = page.locator("details.cases-filters")
    if filters.count() and not filters.evaluate("details => details.open"):
        filters.locator("summary").click()  # folded on a phone
    assert page.get_by_role("link", name="Clear filters").first.is_visible()
    assert no_horizontal_overflow(page)

    page.goto("/cases/solar-mini-grids-bring-evening-work-to-hill-villages/")
    assert page.get_by_role("button", name="Print", exact=True).is_visible()  # revealed by share.js
    assert page.get_by_role("heading", name="Related stories").is_visible()
    assert no_horizontal_overflow(page)
    screenshot(page, f"cases-story-{device}")

    page.goto("/cases/submit/")
    page.get_by_label("Title", exact=True).fill("A story without the rest")
    page.get_by_label("Photo", exact=True).set_input_files(
        files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"}]
    )
    page.get_by_role("button", name="Send my story").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()  # cases.js moves focus to the error summary
    assert summary.get_by_text("Please correct the following").is_visible()
    assert page.get_by_text("Upload a JPEG, PNG or WebP photo of at most 10 MB").first.is_visible()
    assert page.get_by_label("Title", exact=True).input_value() == "A story without the rest"
    assert no_horizontal_overflow(page)
    screenshot(page, f"cases-form-errors-{device}")
