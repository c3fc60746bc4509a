"""Typed records of the inspection workbook, and the dataset that holds them."""
