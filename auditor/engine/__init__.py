"""The rule engine: rule files to durable-rules rulesets, facts in, matches out.

:mod:`~auditor.engine.rulefile` reads and checks one rule file,
:mod:`~auditor.engine.conditions` compiles a condition through a fixed table
of operators (no ``eval``), :mod:`~auditor.engine.pack` loads and compiles a
whole pack, :mod:`~auditor.engine.durable_adapter` is the one module that
imports durable-rules, and :mod:`~auditor.engine.shards` spreads a large
audit over processes. It may import enrichment's vocabulary, the model and
the base; it knows nothing of findings, money, reports or services.
"""
