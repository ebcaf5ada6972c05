"""The Textual wizard. Nothing here computes: every decision comes from ``socwizard.core``."""
