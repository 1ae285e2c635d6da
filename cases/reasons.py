"""Ready-made texts the webmaster starts from when declining a story or asking for changes, then edits.

Each is (key, short label, text sent to the contributor). Add one here; the decision pages offer it.
"""

from django.utils.translation import gettext_lazy as _

REJECTION_REASONS = (
    (
        "off_topic",
        _("Not about green, decent jobs"),
        _(
            "Thank you for your story. We publish stories of jobs that are good for the environment and decent "
            "for the people who do them, and we could not see how this one fits. You are welcome to send another."
        ),
    ),
    (
        "advert",
        _("An advertisement"),
        _(
            "Thank you for writing to us. Your text reads as an advertisement for a product or a service, which we "
            "cannot publish. A story of what changed for the environment and for the workers is welcome."
        ),
    ),
    (
        "duplicate",
        _("Already published"),
        _("Thank you. We have already published this story, or one very close to it, so we will not publish it twice."),
    ),
    (
        "unverifiable",
        _("Could not be checked"),
        _(
            "Thank you for your story. We could not check the facts it reports, and we only publish what we can "
            "check. If you can point us to a report or an organisation that confirms them, send the story again."
        ),
    ),
)

CHANGE_REQUESTS = (
    (
        "figures",
        _("Add figures"),
        _(
            "Thank you for your story. Could you add a few figures: how many jobs were created or improved, and "
            "what changed for the environment (energy, emissions, waste or water)?"
        ),
    ),
    (
        "jobs",
        _("More about the jobs"),
        _(
            "Thank you for your story. Could you say more about the jobs themselves: pay, contracts, safety, "
            "training, and whether the workers have a say?"
        ),
    ),
    (
        "shorter",
        _("Shorter"),
        _(
            "Thank you for your story. Could you make it shorter? The summary should be one or two sentences, and "
            "each part a few short paragraphs."
        ),
    ),
    (
        "photo",
        _("A photo"),
        _(
            "Thank you for your story. Could you add a photo of the work, one you took or may share, with a short "
            "description for people who cannot see it?"
        ),
    ),
)
