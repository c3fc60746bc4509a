"""Enrichment: validated records to the facts a rule reads, under the jurisdiction profile.

Totals in the audit currency, the origin contract, the latest contract and
every indicator's inputs are computed here in exact arithmetic, unknowns
kept unknown (:mod:`~auditor.enrich.facts`, :mod:`~auditor.enrich.vocabulary`).
It may import ingest's readings, the model and the base, never the engine.
"""
