"""The verdict: findings with their evidence, money owed, the score, and follow-up comparison.

:mod:`~auditor.verdict.outcome` turns the engine's matches into findings
and data gaps; :mod:`~auditor.verdict.owed` and :mod:`~auditor.verdict.money`
compute what each worker is owed, exactly; :mod:`~auditor.verdict.scoring`
the points, scores and rating; :mod:`~auditor.verdict.compare` an audit
against the one before; :mod:`~auditor.verdict.inspection` bundles a result
with its records for the renderers. It may import the engine, enrichment,
ingest and model, never the renderers, the pipeline or anything above.
"""
