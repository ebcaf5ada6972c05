"""The pure core of socwizard: bank, conditions, scoring, recommendation, store.

Nothing in this package imports textual; a test enforces it.
"""
