"""``python -m auditor.i18n``: compile the checkout's catalogues (make setup, make messages)."""

from auditor.i18n.catalogue import compile_all

for path in compile_all():
    print(f"compiled {path}")
