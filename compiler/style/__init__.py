"""Styles: style files -> a frozen, resolved Style (extends, defaults, fonts, logo).

    loader   style YAML files -> Style, every problem collected
    types    the resolved Style and its parts (frozen dataclasses)
    images   logo files checked and decoded under bounds
    shipped  the styles and fonts shipped with reportc (a link to the project's styles/)
"""
