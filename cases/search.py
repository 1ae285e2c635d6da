"""How a case story is indexed for the site search (registered in ``CasesConfig.ready``)."""

from greenjobs.core.searchtext import plain

KIND = "case"


def case_fields(story) -> dict | None:
    """The story's search document, or None when it is not public."""
    if not story.is_public:
        return None
    return {
        "kind": KIND,
        "language": story.language,
        "title": story.title,
        "summary": story.summary,
        "body": plain(
            story.challenge,
            story.actions,
            story.environment_results,
            story.job_results,
            story.lessons,
            story.organisation,
            story.country.name if story.country else "",
        ),
        "date": story.published_at,
        # The webmaster's translations (CaseStoryTranslation), each searched in its language.
        "translations": {
            translation.language: {
                "title": translation.title,
                "summary": translation.summary,
                "body": plain(
                    translation.challenge,
                    translation.actions,
                    translation.environment_results,
                    translation.job_results,
                    translation.lessons,
                ),
            }
            for translation in story.translations.all()
            if translation.language != story.language
        },
    }
