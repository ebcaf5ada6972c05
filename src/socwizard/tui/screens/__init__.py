"""The wizard's screens, each with its stylesheet beside it."""
