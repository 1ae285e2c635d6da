"""axe-core (all rules, best practices included) on every public page type, at 1280 px and at 375 px.

Each test loads the demo content (real stories, photos, events, courses, about pages) so that every
page type is audited with what a visitor sees. Zero violations of any impact are allowed.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.quality.pages import EXPECTED_STATUS, PAGES, load_demo, page_path

from .conftest import WIDTHS, no_horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()
SHOWN_NODES = 8


@pytest.fixture
def demo(db):
    load_demo()


def describe(violations) -> str:
    """One readable block per violation: rule, impact, help, and where."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:SHOWN_NODES]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {' '.join(map(str, node['target']))}: {summary[:240]}")
        if len(violation["nodes"]) > SHOWN_NODES:
            lines.append(f"    ... and {len(violation['nodes']) - SHOWN_NODES} more")
    return "\n".join(lines)


def audit(page, path: str, page_type: str) -> list:
    response = page.goto(path)
    expected = EXPECTED_STATUS.get(page_type, 200)
    assert response.status == expected, f"{path} answered {response.status}, not {expected}"
    if page_type == "submit-form-errors":
        page.locator("main form[enctype] button[type=submit]").click()
        page.wait_for_selector("#error-summary")
    return AXE.run(page).response["violations"]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("page_type", PAGES)
def test_page_type_has_no_axe_violations_at_both_widths(page, demo, screenshot, page_type, language):
    path = ("" if language == "en" else f"/{language}") + page_path(page_type)
    report = []
    for device, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        violations = audit(page, path, page_type)
        if violations:
            report.append(f"{page_type} {path} at {width} px ({device}):\n{describe(violations)}")
        if not no_horizontal_overflow(page):
            report.append(f"{page_type} {path} at {width} px ({device}): scrolls sideways (WCAG 1.4.10 reflow)")
        screenshot(page, f"quality-{page_type}-{device}" + ("" if language == "en" else f"-{language}"))
    assert not report, "axe-core violations:\n" + "\n".join(report)


def test_the_audit_finds_a_violation(page, live_server):
    """The audit is not a no-op: an image without alt text on a real page is reported."""
    page.goto("/no-such-page/")
    page.evaluate("document.querySelector('main').append(Object.assign(new Image(), {src: '/static/x.png'}))")
    violations = AXE.run(page).response["violations"]
    assert "image-alt" in describe(violations)
