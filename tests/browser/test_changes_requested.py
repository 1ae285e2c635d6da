"""The whole changes-requested round in Chromium: a story sent without a photo, sent back with a note,
edited from the status link and sent again, compared and published by the webmaster."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cases.models import CaseStory, Status

from .conftest import WIDTHS, no_horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)

STORY = {
    "Title": "Bike couriers replace delivery vans",
    "Summary": "A workers' cooperative delivers by cargo bike in the old town.",
    "The challenge": "Vans jammed the narrow streets and the air.",
    "What was done": "Eight couriers bought cargo bikes together.",
    "Results for the environment": "No more diesel vans in the old town.",
    "Results for jobs and working conditions": "Eight jobs.",
    "Organisation": "Pedal Post Cooperative",
    "Your name": "Lena",
    "Your email": "lena@example.org",
}


def log_in(page):
    page.goto("/admin/")
    page.get_by_label("Username").fill("webmaster")
    page.get_by_label("Password").fill("webmaster-pass-123")
    page.get_by_role("button", name="Log in").click()


def test_changes_requested_round(page, browser, live_server, webmaster, screenshot):
    from taggit.models import Tag

    Tag.objects.create(name="Sustainable transport")

    # 1. The contributor sends a story without a photo and keeps the status link from the thanks page.
    page.goto("/cases/submit/")
    for label, value in STORY.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Country", exact=True).select_option("DE")
    page.get_by_label("Type of organisation", exact=True).select_option("cooperative")
    page.get_by_role("group", name="Themes").get_by_label("Sustainable transport").check()
    page.get_by_label("I agree that this story and photo may be published on this site").check()
    page.get_by_role("button", name="Send my story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your story awaits review")
    expect(page.get_by_text("Keep this link")).to_be_visible()
    status_url = page.locator(".case-status-link a").get_attribute("href")
    story = CaseStory.objects.get()
    assert not story.photo and status_url.endswith(story.get_status_url())

    # 2. The webmaster asks for changes, starting from a ready-made text and editing it.
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url).new_page()
    log_in(admin)
    admin.get_by_role("link", name="Review them").click()
    admin.get_by_role("link", name=STORY["Title"]).click()
    admin.get_by_role("button", name="Ask for changes…").click()
    admin.get_by_label("Add figures").check()  # the script puts the text in the box
    note = admin.get_by_label("Note, sent to the contributor")
    expect(note).to_have_value(re.compile(r"^Thank you for your story\. Could you add a few figures"))
    note.press("End")
    note.type(" How many couriers earn a living wage?")
    admin.get_by_role("button", name="Ask for changes", exact=True).click()
    expect(admin.get_by_text("1 story sent back to its contributor for changes.")).to_be_visible()
    assert "living wage" in mail.outbox[-1].body and status_url in mail.outbox[-1].body

    # 3. The contributor edits the story from the status link and sends it again; nothing is retyped.
    page.goto(status_url)
    expect(page.get_by_text("Changes requested", exact=True)).to_be_visible()
    expect(page.get_by_text("How many couriers earn a living wage?")).to_be_visible()
    assert page.get_by_label("Title", exact=True).input_value() == STORY["Title"]
    assert page.get_by_label("Your email", exact=True).input_value() == STORY["Your email"]
    assert page.get_by_role("group", name="Themes").get_by_label("Sustainable transport").is_checked()
    jobs = page.get_by_label("Results for jobs and working conditions", exact=True)
    jobs.fill("Eight jobs, all paid above the living wage, with sick pay.")
    page.get_by_role("button", name="Send my story again").click()
    expect(page.get_by_text("Pending review")).to_be_visible()
    story.refresh_from_db()
    assert story.status == Status.PENDING and story.submissions.count() == 2

    # 4. The webmaster sees what the contributor changed, fixes the title, sees the diff and publishes.
    admin.goto(f"/admin/cases/casestory/{story.pk}/change/")
    changed = admin.locator(".field-contributor_rounds")
    expect(changed.locator("ins")).to_contain_text("all paid above the living wage")
    admin.get_by_label("Title:", exact=True).fill("Bike couriers replace the delivery vans")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".field-changes_since_sent ins")).to_contain_text("the")
    admin.get_by_role("button", name="Save and publish").click()
    expect(admin.get_by_text("is saved and published.")).to_be_visible()
    assert "The webmaster edited your story" in mail.outbox[-1].body

    # 5. The status page says published and shows what was sent and what changed.
    page.goto(status_url)
    expect(page.get_by_text("Published", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="What the webmaster changed")).to_be_visible()
    page.get_by_role("link", name="Read your story on the site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bike couriers replace the delivery vans")
    assert page.locator("article figure").count() == 0
    admin.context.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_the_status_page_with_changes_requested_fits_the_screen(page, webmaster, screenshot, device):
    from cases.services import case_request_changes, case_submit
    from tests.cases.conftest import submission

    story = case_submit(**submission(photo=None, photo_description=""))
    case_request_changes(case=story, by=webmaster, note="Please add figures on the jobs.")
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})

    page.goto(story.get_status_url())
    expect(page.get_by_role("button", name="Send my story again")).to_be_visible()
    assert no_horizontal_overflow(page)
    screenshot(page, f"cases-status-changes-{device}")
