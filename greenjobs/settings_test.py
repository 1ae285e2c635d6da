"""Test settings: fast hashing, locmem email and cache, media in a temp dir."""

import tempfile

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off, so that query counts measure real page work; tests/core/test_pagecache.py turns it on.
PAGE_CACHE_SECONDS = 0
MEDIA_ROOT = tempfile.mkdtemp(prefix="greenjobs-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WEBMASTER_EMAILS = ["webmaster@greenjobs.example"]
# Client.login() passes no request, which django-axes' backend needs; the throttling test
# puts the axes backend back (tests/core/test_security.py).
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
