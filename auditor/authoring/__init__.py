"""Tools for rule authors behind ``auditor rules``: lint, docs, a new rule's skeleton.

The property checks themselves live in :mod:`auditor.testing`, the public
kit a licensing system can also call from its own tests; this package
turns them and the rule files into what a policy analyst reads: problems
with file, line and a fix hint, the rule catalogue as Markdown pages, and
a rule file to fill in.
"""
