"""The inspectorate service of ``web.md``: pages, HTTP API and job workers around the library.

The service is a client of the library and never the other way round:
``import auditor`` works without Django installed. Everything here starts
through :func:`auditor.service.bootstrap.start`, which reads the settings
from the environment, opens the database and brings its tables up to date.
"""
