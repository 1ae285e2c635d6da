"""The 2014 Bangkok meeting carries its technical note in full: on its page and in a text PDF that opens inline."""

import html
import re

import pytest

from events import demo
from events.models import Event
from greenjobs.core.demo import media_path, themes

pytestmark = pytest.mark.django_db

NOTE = media_path(demo.__file__, "lpm-2014-technical-note.pdf")
COUNTRIES = [
    "Bangladesh", "China (including Mongolia)", "Fiji", "India", "Indonesia",
    "Malaysia", "Nepal", "Philippines", "Sri Lanka", "Thailand",
]  # fmt: skip
THEMES = [
    "tourism",
    "entrepreneurship",
    "enterprises",
    "resilience",
    "waste",
    "research",
    "skills",
    "policy",
    "capability",
]
# The note's facts, as the page and the PDF both word them.
FACTS = [
    "ILO Regional Office for Asia and the Pacific (ILO-ROAP)",
    "Since 2009",
    "Green Jobs Programme for Asia and the Pacific (Green Jobs-AP)",
    "decent work for all in a greener economy",
    "access to quality data and information",
    "an inclusive growth model",
    "sensitive to gender, by supporting demonstration activities and national programmes",
    "the new biennium, 2014\u20132015, a year before the close of the Asian Decent Work Decade 2006\u20132015",
    "building the knowledge base and evidence for green jobs",
    "forming partnerships and collaborations",
    "developing strategies, good practice and lessons learnt",
    "a just transition to a greener economy",
    "Green Jobs focal persons",
    "Technical specialists from ROAP and from the Decent Work Teams (DWTs) in Bangkok and India",
    "A three-day meeting",
    "09:00 on Monday 28 April 2014",
    "participants arrive the day before",
    "one product, tool or piece of policy advice",
    "The first half of the meeting is for learning",
    "Where are we now? What do we have?",
    "The second half of the meeting is for planning",
    "Where do we go from here? How do we further promote green jobs?",
    "the regional and global perspectives",
    "a workshop that draws up specific action agendas for the countries",
    "RAS 176, the regional outcome on green jobs",
    "the coordination between national, regional and global initiatives",
    "tentative",
    "Lorraine Baybay Villacorta",
    "Environment and Decent Work Specialist, Coordinator, a.i. Green Jobs Programme for Asia and the Pacific",
    "villacorta@ilo.org",
]


def words(text: str) -> str:
    return " ".join(text.split())


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    return words(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def pdf_text(data: bytes) -> str:
    """The text drawn by an uncompressed PDF's ``(...) Tj`` operators: one line per text object."""
    lines, line = [], []
    for match in re.finditer(rb"\(((?:\\.|[^\\()])*)\)\s*Tj|\bET\b", data, re.DOTALL):
        if match.group(1) is None:
            lines.append("".join(line))
            line = []
            continue
        raw = re.sub(rb"\\([0-7]{1,3}|.)", lambda m: unescape_pdf(m.group(1)), match.group(1))
        line.append(raw.decode("cp1252"))
    return words(" ".join(lines))


def unescape_pdf(escape: bytes) -> bytes:
    if escape.isdigit():
        return bytes([int(escape, 8)])
    return {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(escape, escape)


@pytest.fixture
def meeting(media_root):
    demo.load()
    return Event.objects.get(slug=demo.LPM_SLUG)


def test_the_meeting_page_carries_every_fact_of_the_technical_note(client, meeting):
    response = client.get(meeting.get_absolute_url())

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    missing = [fact for fact in [*FACTS, *COUNTRIES, *themes(THEMES)] if fact not in text]
    assert not missing
    assert "Capability building and training" in text
    assert "Day 3 is for planning" not in text and "Days 1 and 2" not in text
    assert "Monday 28 April 2014, 09:00" in text
    assert 'href="mailto:villacorta@ilo.org"' in response.content.decode()


def test_the_meeting_has_the_nine_themes_of_the_note_and_a_tentative_agenda_in_two_halves(meeting):
    assert sorted(meeting.themes.names()) == sorted(themes(THEMES))
    agenda = list(meeting.agenda_items.all())
    assert (agenda[0].date.day, f"{agenda[0].start_time:%H:%M}") == (28, "09:00")
    titles = " ".join(item.title + " " + item.description for item in agenda)
    for phrase in ["Where are we now?", "What do we have?", "Where do we go from here?", "RAS 176", "Closing"]:
        assert phrase in titles
    assert not meeting.venue  # the note names no venue: none is made up


def test_the_technical_note_is_a_text_pdf_with_the_same_facts():
    data = NOTE.read_bytes()

    assert data.startswith(b"%PDF-") and len(data) < 50_000
    assert b"/FlateDecode" not in data and b"/Subtype /Image" not in data  # text to search and copy, not a picture
    text = pdf_text(data)
    missing = [fact for fact in [*FACTS, *COUNTRIES] if fact not in text]
    assert not missing
    for theme in themes(THEMES):
        assert theme.lower() in text.lower()
    assert "Tentative agenda" in text


def test_the_technical_note_is_linked_from_the_page_and_opens_in_the_browser(client, meeting):
    document = meeting.documents.get()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{document.file.url}"' in page

    response = client.get(document.file.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == NOTE.read_bytes()
