"""Widgets used by the wizard's screens."""
