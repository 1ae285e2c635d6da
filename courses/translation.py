"""French and Spanish versions of a course's text, its preparation steps and its sessions' notes
(django-modeltranslation). An empty translation shows the English text."""

from modeltranslation.translator import TranslationOptions, register

from courses.models import Course, CourseSession, PreparationStep


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "description",
        "learning_objectives",
        "who_should_attend",
        "prerequisites",
        "duration",
        "effort",
        "image_alt",
    )
    required_languages = ("en",)


@register(PreparationStep)
class PreparationStepTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)


@register(CourseSession)
class CourseSessionTranslation(TranslationOptions):
    fields = ("notes",)
