"""The WSGI application that ``auditor serve`` runs (and any WSGI server may)."""

from auditor.service.bootstrap import start

start()

from django.core.wsgi import get_wsgi_application  # noqa: E402  (after the settings are in force)

application = get_wsgi_application()
