"""Text colours that stay legible in every theme (contrast of at least 4.5:1).

Themes choose their success, warning and error colours for backgrounds and borders;
as text on a light theme's grey panel some fall to about 1.3:1. These variables start
from the theme's own colours and darken (on a light theme) or lighten (on a dark one)
them until they reach 4.5:1 against every background the TUI draws text on. Stylesheets
and styled text use ``$sw-good``, ``$sw-warn``, ``$sw-bad``, ``$sw-accent`` and
``$sw-muted`` for text, never the raw theme colours.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.color import Color, ColorParseError

MIN_CONTRAST = 4.5
BACKGROUNDS = ("background", "surface", "panel", "boost")
SOURCES = {
    "sw-good": "success",
    "sw-warn": "warning",
    "sw-bad": "error",
    "sw-accent": "accent",
    "sw-muted": "foreground",
}
MUTED_MIX = 0.35
"""How far muted text moves from the foreground towards the background, at most."""


def luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else float(((v + 0.055) / 1.055) ** 2.4)

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _parse(value: str, under: Color | None = None) -> Color | None:
    try:
        color = Color.parse(value)
    except ColorParseError:
        return None
    if color.a < 1 and under is not None:
        color = under.blend(color.with_alpha(1), color.a)
    return color


def backgrounds(variables: Mapping[str, str]) -> list[Color]:
    """The opaque backgrounds text is drawn on (panel and boost blended over the background)."""
    if "ansi" in variables.get("background", "ansi"):
        return []  # the terminal's own colours: unknown here
    base = _parse(variables.get("background", ""))
    if base is None:
        return []
    found = [base]
    for name in BACKGROUNDS[1:]:
        color = _parse(variables.get(name, ""), base)
        if color is not None:
            found.append(color)
    return found


def legible(color: Color, grounds: list[Color]) -> Color:
    """``color`` moved towards black or white until it reads on every ground."""
    if not grounds:
        return color
    dark_theme = sum(luminance(g) for g in grounds) / len(grounds) < 0.5
    target = Color(255, 255, 255) if dark_theme else Color(0, 0, 0)
    for step in range(21):
        candidate = color.blend(target, step / 20)
        if min(contrast(candidate, g) for g in grounds) >= MIN_CONTRAST:
            return candidate
    return target


def text_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """The ``sw-*`` text colours for a theme's variables (empty for terminal-colour themes).

    The theme's ``foreground`` is included, moved the same way, where it falls short.
    """
    grounds = backgrounds(variables)
    if not grounds:
        return {}
    out: dict[str, str] = {}
    foreground = _parse(variables.get("foreground", ""), grounds[0])
    if foreground is not None and min(contrast(foreground, g) for g in grounds) < MIN_CONTRAST:
        out["foreground"] = legible(foreground, grounds).hex  # a few themes' own text is faint
    for name, source in SOURCES.items():
        color = _parse(variables.get(source, ""), grounds[0])
        if color is None:
            return {}
        if name == "sw-muted":
            color = color.blend(grounds[0], MUTED_MIX)
        out[name] = legible(color, grounds).hex
    return out
