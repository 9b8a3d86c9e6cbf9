"""Settings for the workspace benchmark's gunicorn: production settings, static files without a manifest.

(collectstatic with the manifest storage currently stops on vendor/chartjs's missing source map; the benchmark
measures pages, not static file hashing.)
"""

from config.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
