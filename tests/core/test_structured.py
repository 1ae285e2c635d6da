import json

from greenjobs.core.structured import calendar_response, json_ld


def test_json_ld_cannot_close_its_script_element():
    text = json_ld({"name": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & more"}


def test_calendar_response_is_a_named_text_calendar_download():
    response = calendar_response(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "meeting.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meeting.ics"'
    assert response.content.startswith(b"BEGIN:VCALENDAR")
