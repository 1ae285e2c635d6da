import pytest

from courses import demo
from courses.models import Course

from .conftest import WIDTHS, no_horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)

COURSE = "Enterprises in waste management and recycling"


@pytest.fixture
def courses():
    demo.load()
    return Course.objects.published()


def test_ticks_on_the_checklist_survive_a_reload(page, courses):
    page.goto("/courses/")
    page.get_by_role("link", name=COURSE, exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == COURSE

    checklist = page.locator("ol.checklist")
    first = checklist.get_by_role("checkbox").nth(0)
    third = checklist.get_by_role("checkbox").nth(2)
    checklist.get_by_text("Read the safety sheet on handling e-waste", exact=True).click()  # the label ticks the box
    third.check()
    assert page.get_by_text("2 of 7 steps ticked").is_visible()

    page.reload()

    assert first.is_checked()
    assert not checklist.get_by_role("checkbox").nth(1).is_checked()
    assert third.is_checked()
    assert page.get_by_text("2 of 7 steps ticked").is_visible()
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('greenjobs:course:')).length")
    assert stored == 2

    third.uncheck()
    page.reload()
    assert first.is_checked()
    assert not third.is_checked()


def test_ticks_are_kept_per_course(page, courses):
    page.goto("/courses/skills-for-green-jobs/")
    page.locator("ol.checklist").get_by_role("checkbox").first.check()
    page.goto("/courses/a-just-transition-for-all/")
    assert page.locator("ol.checklist input:checked").count() == 0


def test_without_javascript_the_checklist_is_complete(browser, live_server, courses):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/courses/skills-for-green-jobs/")
    boxes = page.locator("ol.checklist").get_by_role("checkbox")
    assert boxes.count() == 4
    boxes.first.check()
    assert boxes.first.is_checked()
    assert not page.locator("[data-checklist-progress]").is_visible()
    page.emulate_media(media="print")
    assert page.locator("ol.checklist").is_visible()
    assert not page.locator(".site-header").is_visible()
    context.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_catalogue_and_course_page_fit_the_screen(page, screenshot, courses, device):
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    page.goto("/courses/")
    assert page.get_by_role("heading", level=1).inner_text() == "Training courses"
    assert page.locator(".course-card").count() == 6
    assert no_horizontal_overflow(page)
    assert screenshot(page, f"courses-catalogue-{device}").stat().st_size > 0

    page.goto("/courses/green-jobs-policies-and-assessment/")
    page.locator("details.past-sessions summary").click()
    assert no_horizontal_overflow(page)
    assert screenshot(page, f"courses-detail-{device}").stat().st_size > 0


def test_filters_work_from_the_form(page, courses):
    page.goto("/courses/")
    page.get_by_label("Format").select_option("online")
    page.get_by_role("button", name="Show courses").click()
    assert "format=online" in page.url
    assert page.locator(".course-card").count() == 1
    assert page.get_by_label("Format").input_value() == "online"


PAGES = ["/courses/", "/courses/skills-for-green-jobs/", "/courses/?format=online&language=xx"]


@pytest.mark.parametrize("path", PAGES)
def test_course_pages_pass_an_axe_audit(page, courses, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
