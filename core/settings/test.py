"""Test settings: the same real PostgreSQL, locmem e-mail, tasks run immediately."""

import os
import tempfile
from pathlib import Path

from core.settings import *  # noqa: F403
from core.settings import DATABASES, INSTALLED_APPS, PLUGINS

DEBUG = False
DEMO = False
SECRET_KEY = "test-only-key"
# The example plugin implements every hook; it is loaded only here.
PLUGINS = [*PLUGINS, "tests.example_plugin"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example_plugin"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests clear the cache around every test, also those without a database: keep it in memory.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Parallel test sessions on one server each get their own test database.
if os.environ.get("SWC_TEST_DB_SUFFIX"):
    DATABASES["default"]["TEST"] = {
        "NAME": f"test_softwarecatalogus_{os.environ['SWC_TEST_DB_SUFFIX']}"
    }

# Uploaded files of a test run go to a throwaway folder, not into the project.
_FILES = Path(tempfile.mkdtemp(prefix="swc-test-files-"))
MEDIA_ROOT = _FILES / "media"
PRIVATE_MEDIA_ROOT = _FILES / "private"
