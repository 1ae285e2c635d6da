"""Fixtures shared by the core tests."""

import io
import logging

import pytest


@pytest.fixture
def console():
    """What the configured console handler (LOGGING in settings) writes."""
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)
