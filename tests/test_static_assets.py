"""`make run` collects static files into the hashed manifest storage; every vendored file must resolve."""

from pathlib import Path

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_with_manifest_storage(tmp_path: Path) -> None:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/htmx-2.0.11/htmx.min.*.js"))
