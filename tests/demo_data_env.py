"""Loaded with `-p` (pyproject addopts) before pytest-django configures Django: the suite tests the
demo data too, so the demo app is installed for it (production leaves DEMO_DATA off)."""

import os

os.environ.setdefault("DEMO_DATA", "1")
