"""The admin in Chromium: the event form fits a 1,280 px window, with its agenda and documents.

Playwright runs in a thread of its own, so this test never meets the session browser of tests/browser/
(a second sync Playwright in the same thread refuses to start).
"""

import contextlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@contextlib.contextmanager
def webmaster_page(base_url: str):
    """A Chromium page at 1,280 px, logged in to the admin as the webmaster."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url).new_page()
        page.set_default_timeout(10_000)
        page.goto("/admin/login/")
        page.fill("#id_username", "webmaster")
        page.fill("#id_password", "webmaster-pass-123")
        page.click("input[type=submit]")
        try:
            yield page
        finally:
            browser.close()


def event_add_page(base_url: str) -> dict:
    """Open the event add page with a second agenda item and document."""
    with webmaster_page(base_url) as page:
        page.goto("/admin/events/event/add/")
        page.get_by_text("Add another Agenda item").click()
        page.get_by_text("Add another Document").click()
        found = {
            "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
            "agenda_items": page.locator(".dynamic-agenda_items").count(),
            "time_zone_selects": page.locator("select#id_timezone").count(),
            "theme_boxes": page.locator("div.theme-choices").count(),
        }
    return found


def test_the_event_add_page_fits_a_1280_px_window(live_server, webmaster):
    with ThreadPoolExecutor(max_workers=1) as worker:
        found = worker.submit(event_add_page, live_server.url).result()

    assert found["agenda_items"] == 2
    assert found["scroll_width"] <= 1280
    assert found["time_zone_selects"] == 1
    assert found["theme_boxes"] == 1


def story_queue(base_url: str) -> dict:
    """The pending stories at 1,280 px, beside the admin's menu and filters."""
    with webmaster_page(base_url) as page:
        page.goto("/admin/cases/casestory/")
        return page.evaluate(
            """() => { const box = document.querySelector('#changelist .results');
                       return {hidden: box.scrollWidth - box.clientWidth,
                               page: document.documentElement.scrollWidth,
                               columns: [...document.querySelectorAll('#result_list thead th')].length}; }"""
        )


def test_the_story_queue_shows_every_column_at_1280_px(live_server, webmaster):
    from tests.cases.factories import CaseStoryFactory

    CaseStoryFactory(
        pending=True,
        title="Women in a farming cooperative build efficient cookstoves",
        summary="Women in a Kisumu farming cooperative build and sell efficient cookstoves, halving charcoal use "
        "in four hundred households and earning a regular income.",
        themes=["Waste management and recycling (including e-waste)", "Climate resilience and adaptation"],
        country="BD",
    )
    with ThreadPoolExecutor(max_workers=1) as worker:
        found = worker.submit(story_queue, live_server.url).result()

    assert found["columns"] == 7  # the box, title, summary, themes, country, type, submitted
    assert found["hidden"] <= 0 and found["page"] <= 1280
