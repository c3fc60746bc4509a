"""Tools for rule authors and for licensing systems' own tests: hypothesis strategies."""

from auditor.testing.strategies import datasets, field_values, record_values, records

__all__ = ["datasets", "field_values", "record_values", "records"]
