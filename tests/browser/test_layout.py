"""Layout: the header is one row on laptop screens; on phones the story filters fold before the results."""

import pytest

from tests.search.factories import CourseFactory, EventFactory, case

from .conftest import no_horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)

HEADER_ROW = """() => {
  const inner = document.querySelector(".site-header__inner");
  const style = getComputedStyle(inner);
  const items = [...inner.children].map((child) => child.getBoundingClientRect());
  return {
    height: inner.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom),
    tallest: Math.max(...items.map((box) => box.height)),
    tops: items.map((box) => box.top),
    bottoms: items.map((box) => box.bottom),
  };
}"""


@pytest.fixture
def content(db):
    for n in range(3):
        case(title=f"Solar story {n}", themes=["Renewable energy", "Skills"], country="NP")
    EventFactory(title="Solar skills webinar").themes.add("Renewable energy")
    CourseFactory(title="Green jobs for solar technicians", themes=["Renewable energy"])


@pytest.mark.parametrize("width", [1280, 1440])
@pytest.mark.parametrize("path", ["/cases/", "/events/", "/courses/", "/search/?q=solar", "/themes/"])
def test_the_header_fits_one_row(page, content, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path)

    box = page.evaluate(HEADER_ROW)

    assert box["height"] <= box["tallest"] + 1, box
    assert max(box["tops"]) < min(box["bottoms"]), box  # every item shares one line
    assert no_horizontal_overflow(page)


def test_on_a_phone_the_story_filters_are_folded_before_the_results(page, content):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/cases/?theme=renewable-energy&country=NP")

    filters = page.locator("details.cases-filters")
    assert filters.evaluate("(details) => details.open") is False
    assert filters.locator("summary").inner_text() == "Filter stories (2 active)"
    assert page.get_by_role("navigation", name="Theme").is_hidden()
    results = page.locator(".cases-results")
    assert filters.evaluate(
        "(details, results) => details.compareDocumentPosition(results) & 4", results.element_handle()
    )
    assert filters.bounding_box()["y"] + filters.bounding_box()["height"] <= results.bounding_box()["y"]
    assert results.locator(".card").count() == 3

    filters.locator("summary").click()
    page.get_by_role("navigation", name="Theme").get_by_role("link", name="Skills").click()
    page.wait_for_url("**/cases/?theme=skills&country=NP")
    assert page.locator("details.cases-filters").evaluate("(details) => details.open") is False
    assert no_horizontal_overflow(page)


@pytest.mark.parametrize("script", [True, False])
def test_on_a_wide_screen_the_filters_stand_beside_the_results(browser, live_server, content, script):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=script)
    page = context.new_page()
    page.goto(f"{live_server.url}/cases/")

    assert page.get_by_role("navigation", name="Theme").is_visible()
    assert page.get_by_role("link", name="Renewable energy (3)").is_visible()
    context.close()
