import datetime as dt

import pytest
import time_machine

NOW = dt.datetime(2021, 3, 15, 12, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    """The clock stopped at ``NOW``, a Monday in the middle of March 2021."""
    with time_machine.travel(NOW, tick=False):
        yield
