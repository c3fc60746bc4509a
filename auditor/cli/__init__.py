"""The ``auditor`` command, one module per command group; thin: parse, call, print, exit.

:mod:`~auditor.cli.main` builds the parser and maps errors to exit codes;
``audit``, ``batch``, ``compare``, ``rules``, ``issue`` and ``service`` each
register their commands. The command line is the top layer: it may import
every part of the library and the service's command entry points, and
nothing imports it.
"""

from auditor.cli.main import main

__all__ = ["main"]
