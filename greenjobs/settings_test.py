"""Test settings: fast hashing, locmem email and cache, media in a temp dir."""

import tempfile

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail goes straight to mail.outbox; tests/core/test_mail.py puts the production queue (django-mailer's
# DbBackend) back and sends it with runmailer, to MAILER_EMAIL_BACKEND or a real SMTP server.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ADMINS = []
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
PAGE_CACHE_ALIAS = "pages"
SILENCED_SYSTEM_CHECKS = sorted({*SILENCED_SYSTEM_CHECKS, *RATELIMIT_LOCAL_CACHE_CHECKS})
# Off, so that query counts measure real page work; tests/core/test_pagecache.py turns it on.
PAGE_CACHE_SECONDS = 0
MEDIA_ROOT = tempfile.mkdtemp(prefix="greenjobs-test-media-")
# Tests run with DEBUG off but fetch uploaded files through Django's media view.
SERVE_MEDIA = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WEBMASTER_EMAILS = ["webmaster@greenjobs.example"]
# The canonical address in tests is the test client's host; tests of SITE_URL override it.
SITE_URL = "http://testserver"
# Client.login() passes no request, which django-axes' backend needs; the throttling test
# puts the axes backend back (tests/core/test_security.py).
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
