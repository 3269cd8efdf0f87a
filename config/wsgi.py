import os

from django.core.wsgi import get_wsgi_application

from config.checks import refuse_insecure_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
refuse_insecure_start()  # DEBUG off with the repository's SECRET_KEY or no FIELD_ENCRYPTION_KEY: do not serve
