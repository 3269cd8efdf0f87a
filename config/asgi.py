import os

from django.core.asgi import get_asgi_application

from config.checks import refuse_insecure_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()
refuse_insecure_start()  # DEBUG off with the repository's SECRET_KEY or no FIELD_ENCRYPTION_KEY: do not serve
