"""How an event is indexed for the site search (registered in ``EventsConfig.ready``)."""

from greenjobs.core.searchtext import markdown_text, plain

KIND = "event"


def event_fields(event) -> dict | None:
    """The event's search document, or None when it is not public."""
    if not event.is_public:
        return None
    return {
        "kind": KIND,
        "title": event.title,
        "summary": event.summary,
        "body": plain(
            event.place_label,
            event.organiser,
            markdown_text(event.background),
            markdown_text(event.objectives),
            markdown_text(event.target_participants),
            markdown_text(event.programme),
        ),
        "date": event.starts_at,
    }
