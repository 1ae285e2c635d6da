import datetime

import pytest
import time_machine

from .factories import CourseFactory

UTC = datetime.UTC
NOW = datetime.datetime(2030, 1, 10, 12, tzinfo=UTC)


@pytest.fixture
def frozen():
    """The clock stopped at ``NOW``, in January 2030."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def course(db):
    """A published course with every section filled in, at /courses/skills/."""
    return CourseFactory(
        title="Skills for green jobs",
        slug="skills",
        summary="Find the skills the transition needs.",
        description="First paragraph.\n\nSecond paragraph.",
        learning_objectives="Spot skills gaps\nUpdate a curriculum",
        who_should_attend="Training providers.",
        prerequisites="An internet connection.",
        languages=["en", "fr"],
        themes=["Skills for green jobs"],
    )
