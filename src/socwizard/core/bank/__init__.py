"""Question banks: models, conditions and the loader."""
