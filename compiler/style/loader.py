"""Style files -> a frozen Style: `extends` resolved once, paths resolved, defaults filled in.

Style files are validated with positions exactly like sources. A child style merges into its
parent key by key, except `grades`, which it replaces whole (a scale is one decision).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..source import schema as schemas
from ..diagnostics import Diagnostics, Span
from ..source.paths import SHIPPED_STYLES, Roots, resolve_file, resolve_style
from ..source.schemacheck import check
from .dates import date_format_problem
from .fontcheck import font_problem
from .glyphcoverage import family_name
from .labels import callout_label, grade_label, same_language, shipped_labels
from .types import CalloutKind, Colours, Cover, FallbackFont, Fonts, Grade, Page, Print, Style, frozen_mapping
from ..source.yamltree import Mapping, Node, Scalar, Sequence, load_file

MAX_EXTENDS = 8
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Labels the layout and renderers fill in with str.format, and the names each may use: those of
# its default, and `last_updated` may place the date. Anything else in braces would be evaluated
# by str.format (`{year.__class__}`, `{year:>999999999}`) or make it raise (`{`), so it is
# refused with its position instead.
TEMPLATE_LABELS = {key: set(_PLACEHOLDER.findall(text)) for key, text in schemas.LABEL_DEFAULTS.items()
                   if _PLACEHOLDER.search(text)} | {"last_updated": {"date"}}
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "letter": (215.9, 279.4)}
UNGRADED_COLOUR = "#6E6E6E"
_DEFAULT_LANGUAGE = schemas.default_of(schemas.STYLE_SCHEMA, "language")


def display_name(path: Path, roots: Roots) -> str:
    """How diagnostics name a file: relative to the project root when inside it."""
    try:
        return str(path.relative_to(roots.project))
    except ValueError:
        return str(path)


class StyleLoader:
    """Loads styles once per build (a batch shares a few styles across many reports)."""

    def __init__(self, roots: Roots) -> None:
        self.roots = roots
        self._cache: dict[Path, tuple[Style | None, Diagnostics]] = {}

    def load(self, name: str, base: Path, origin: Span, diagnostics: Diagnostics) -> Style | None:
        path, problem = resolve_style(name, base, self.roots)
        if path is None:
            diagnostics.error(origin, problem)
            return None
        if path not in self._cache:
            own = Diagnostics()
            raw = self._load_chain(path, own, chain=())
            self._cache[path] = (_build_style(path.stem, raw, own) if raw is not None else None, own)
        style, own = self._cache[path]
        diagnostics.extend(own)
        return style

    def _load_chain(self, path: Path, diagnostics: Diagnostics, chain: tuple[Path, ...]) -> dict | None:
        """The merged raw settings of a style and its ancestors, paths resolved.

        Every check runs on whatever part of the style it can read, whatever the others found, so
        a writer sees all of a style's problems in one run (as with sources); the style is only
        refused at the end."""
        file = display_name(path, self.roots)
        tree = load_file(path, file, diagnostics, kind="style")
        if tree is None:
            return None
        errors_before = diagnostics.error_count
        check(tree, schemas.STYLE_SCHEMA, diagnostics)
        if not isinstance(tree, Mapping):
            return None
        _check_labels(tree.get("labels"), diagnostics)
        _check_date_format(tree.get("date_format"), diagnostics)
        own = _to_plain(tree, schemas.STYLE_SCHEMA, path.parent, self.roots, diagnostics)
        own.update(_style_texts(tree, diagnostics))
        _check_fonts(tree.get("fonts"), own.get("fonts", {}), diagnostics)
        own["files"] = [path]
        if isinstance(tree.get("language"), Scalar):
            own["language_span"] = tree.get("language").span  # where a warning about its labels points
        if _dict(own.get("brand")).get("logo") is not None:
            own["brand"]["logo_span"] = tree.get("brand").get("logo").span
        if diagnostics.error_count > errors_before:
            _check_logo(own, diagnostics)  # _build_style, which reads it, is not reached
        parent_node = tree.get("extends")
        if not isinstance(parent_node, Scalar) or parent_node.is_null:
            return own if diagnostics.error_count == errors_before else None
        merged = self._merge_parent(own, parent_node, path, diagnostics, chain + (path,))
        return merged if diagnostics.error_count == errors_before else None

    def _merge_parent(self, own: dict, parent_node: Scalar, path: Path, diagnostics: Diagnostics,
                      chain: tuple[Path, ...]) -> dict | None:
        parent_path, problem = resolve_style(parent_node.value, path.parent, self.roots, key="extends")
        if parent_path is None:
            diagnostics.error(parent_node.span, f"extends: {problem}")
            return None
        if parent_path in chain:
            diagnostics.error(parent_node.span, "extends: styles extend each other in a loop; "
                                                "remove one `extends`")
            return None
        if len(chain) >= MAX_EXTENDS:
            diagnostics.error(parent_node.span, f"extends: the chain of styles is too long: this would be "
                                                f"style {len(chain) + 1} in a row from "
                                                f"'{display_name(chain[0], self.roots)}', and a chain may be "
                                                f"at most {MAX_EXTENDS} styles; extend a style nearer the "
                                                "end of the chain, or merge two of them")
            return None
        parent = self._load_chain(parent_path, diagnostics, chain)
        return None if parent is None else _merge(_give_way(parent, own), own)


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _check_logo(own: dict, diagnostics: Diagnostics) -> None:
    """The logo read as an image, for a style refused for other reasons."""
    brand = _dict(own.get("brand"))
    if isinstance(brand.get("logo"), Path):
        from .images import load_image

        load_image(brand["logo"], "logo", brand["logo_span"], diagnostics)


def _already_reported(node: Node, diagnostics: Diagnostics) -> bool:
    """Whether the schema check refused this value already: one error per value is enough."""
    return any(item.span == node.span for item in diagnostics.errors)


def _check_date_format(node: Node | None, diagnostics: Diagnostics) -> None:
    if isinstance(node, Scalar) and not node.is_null and not _already_reported(node, diagnostics):
        problem = date_format_problem(node.value)
        if problem:
            diagnostics.error(node.span, problem)


def _check_fonts(fonts: Node | None, paths: dict, diagnostics: Diagnostics) -> None:
    """Font files named by a style are checked whole (`fontcheck`) before a renderer reads them,
    and a problem is reported at the style's font line, never at a source."""
    if not isinstance(fonts, Mapping):
        return
    for key, value in paths.items():
        node = fonts.get(key)
        named = zip(value, node.items) if isinstance(value, list) and isinstance(node, Sequence) else [(value, node)]
        for path, path_node in named:
            if isinstance(path, Path):
                problem = font_problem(path)
                if problem:
                    diagnostics.error(path_node.span, f"font '{path.name}' {problem}")


# Block texts, with the placeholders each may use (None: none is filled in, braces are literal text)
STYLE_TEXTS: dict[str, set[str] | None] = {"imprint": {"year"}, "alternative_formats": None}


def _style_texts(tree: Mapping, diagnostics: Diagnostics) -> dict[str, tuple]:
    """The style's block texts, parsed once here so a problem in one is reported at the style,
    once per build; placeholders are left in the text for layout."""
    from ..source.markup import parse_blocks  # the same block text as a source's

    texts = {}
    for key, names in STYLE_TEXTS.items():
        node = tree.get(key)
        if not isinstance(node, Scalar) or node.is_null or _already_reported(node, diagnostics):
            continue
        problem = template_problem(node.value, names) if names and ("{" in node.value or "}" in node.value) else None
        if problem:
            diagnostics.error(node.span, f"`{key}`: {problem.replace('this label', 'this text')}")
        texts[key] = parse_blocks(node.value, node.line_span, diagnostics, node.position)
    return texts


def _check_labels(labels: Node | None, diagnostics: Diagnostics) -> None:
    if not isinstance(labels, Mapping):
        return
    for key, (_, value) in labels.entries.items():
        if key in TEMPLATE_LABELS and isinstance(value, Scalar) and not _already_reported(value, diagnostics):
            problem = template_problem(value.value, TEMPLATE_LABELS[key])
            if problem:
                diagnostics.error(value.span, f"`labels.{key}`: {problem}")


def template_problem(text: str, names: set[str]) -> str | None:
    """Why a label template is refused: braces only as `{name}` with a name it may use."""
    allowed = " and ".join(f"{{{name}}}" for name in sorted(names))
    unknown = sorted(set(_PLACEHOLDER.findall(text)) - names)
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}}; this label may use {allowed}"
    if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
        return f"braces may only enclose a placeholder ({allowed}); remove the others"
    # Each placeholder is filled with a source's value: used once, a label adds at most its own
    # 100 characters to the value; `{year}` 16 times made a 10,000-character value 160,000.
    repeated = sorted(name for name in set(_PLACEHOLDER.findall(text)) if text.count(f"{{{name}}}") > 1)
    if repeated:
        return (f"{{{repeated[0]}}} is used {text.count(f'{{{repeated[0]}}}')} times; each placeholder "
                "may appear at most once in a label")
    return None


def _to_plain(node: Node, schema: dict[str, Any], folder: Path, roots: Roots, diagnostics: Diagnostics) -> Any:
    """A style tree as plain Python values; paths resolved from the style's folder. The schema
    check may have failed: what does not have the schema's shape (reported there) becomes None,
    so the other checks still run on the rest."""
    if isinstance(node, Mapping):
        if schema.get("type") not in (None, "object"):
            return None
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        return {key: _to_plain(value, properties.get(key) or extra or {}, folder, roots, diagnostics)
                for key, (_, value) in node.entries.items()
                if not (isinstance(value, Scalar) and value.is_null)}
    if isinstance(node, Sequence):
        if schema.get("type") != "array":
            return None
        return [None if isinstance(item, Scalar) and item.is_null  # reported by the schema check
                else _to_plain(item, schema.get("items", {}), folder, roots, diagnostics) for item in node.items]
    if not isinstance(node, Scalar) or schema.get("type") == "object":
        return None
    kind = schema.get("type")
    if kind == "number":
        try:
            return float(node.value)
        except ValueError:  # reported by the schema check
            return None
    if kind == "boolean":
        return node.value == "true"
    if schema.get("x-text") == "path" and schema is not schemas.STYLE_SCHEMA["properties"]["extends"]:
        path, problem = resolve_file(node.value, folder, roots)
        if path is None:
            diagnostics.error(node.span, problem)
        return path
    return node.value


def _give_way(parent: dict, child: dict) -> dict:
    """The parent as a child in another language inherits it: the parent's labels and grade
    labels were written in the parent's language, so they give way to the shipped ones of the
    child's (the child's own labels then apply on top)."""
    language = child.get("language")
    if not isinstance(language, str) or same_language(language, parent.get("language", _DEFAULT_LANGUAGE)):
        return parent
    grades = {key: {**entry, "label": grade_label(language, key) or entry.get("label")}
              for key, entry in _dict(parent.get("grades")).items() if isinstance(entry, dict)}
    callouts = {key: {**entry, "label": callout_label(language, key) or entry.get("label")}
                for key, entry in _dict(parent.get("callouts")).items() if isinstance(entry, dict)}
    # The parent's imprint texts are in its language too: a child in another language writes its own.
    kept = {key: value for key, value in parent.items() if key not in ("labels", *STYLE_TEXTS)}
    return {**kept, "grades": grades, "callouts": callouts}


def _labels(raw: dict, language: str, diagnostics: Diagnostics) -> dict[str, str]:
    """The shipped labels of the style's language under its own; a language reportc ships no
    labels for prints the English ones for those it leaves unset, with a warning naming them."""
    own = _dict(raw.get("labels"))
    shipped = shipped_labels(language)
    if shipped is None:
        unset = [key for key in schemas.LABEL_DEFAULTS if key not in own]
        if unset:
            span = raw.get("language_span") or Span(str(raw["files"][0]), 1, 1)
            diagnostics.warning(span, f"reportc ships no labels for language '{language}', so "
                                      f"{len(unset)} labels print in English: {', '.join(unset)}; set them "
                                      "under `labels:` in this style")
        shipped = schemas.LABEL_DEFAULTS
    return {**shipped, **own}


def _merge(parent: dict, child: dict) -> dict:
    merged = dict(parent)
    for key, value in child.items():
        if key == "files":
            merged[key] = value + parent.get("files", [])
        elif isinstance(value, dict) and isinstance(parent.get(key), dict) and key != "grades":
            merged[key] = _merge(parent[key], value)
        else:
            merged[key] = value
    return merged


def _section(raw: dict, name: str) -> dict[str, Any]:
    """One style section with the schema's defaults under what the style sets."""
    properties = schemas.STYLE_SCHEMA["properties"][name]["properties"]
    values = {key: spec["default"] for key, spec in properties.items() if "default" in spec}
    values.update(raw.get(name, {}))
    return values


def _font_path(value: Any) -> Path:
    return value if isinstance(value, Path) else (SHIPPED_STYLES / value).resolve()


def _build_style(name: str, raw: dict, diagnostics: Diagnostics) -> Style | None:
    if diagnostics.has_errors:
        return None
    language = raw.get("language", _DEFAULT_LANGUAGE)
    labels = _labels(raw, language, diagnostics)
    brand = _section(raw, "brand")
    fonts = _section(raw, "fonts")
    page = _section(raw, "page")
    width, height = PAGE_SIZES_MM[page["size"]]
    alt = brand.get("logo_alt") or labels["logo_alt"].format(brand=brand["name"])
    return Style(
        name=name,
        files=tuple(raw["files"]),
        brand_name=brand["name"],
        logo=_logo(brand, alt, diagnostics),
        logo_alt=alt,
        language=language,
        date_format=raw.get("date_format", schemas.default_of(schemas.STYLE_SCHEMA, "date_format")),
        grades=_grades(raw.get("grades", {}), labels["ungraded"]),
        labels=frozen_mapping(labels),
        fonts=Fonts(family=fonts["family"], size=fonts["size"],
                    **{k: _font_path(fonts[k]) for k in ("regular", "bold", "italic", "bold_italic")},
                    fallback=tuple(FallbackFont(path, family_name(path)) for path in fonts.get("fallback", ())
                                   if isinstance(path, Path))),
        colours=Colours(**_section(raw, "colours")),
        page=Page(width_mm=width, height_mm=height, **page),
        cover=Cover(**_section(raw, "cover")),
        print=Print(**_section(raw, "print")),
        imprint=raw.get("imprint", ()),
        alternative_formats=raw.get("alternative_formats", ()),
        callouts=_callouts(raw.get("callouts", {}), language),
    )


def _callouts(raw: dict[str, dict], language: str):
    """The default kinds in the style's language, then the style's own (a style adds kinds, or
    relabels or recolours one)."""
    defaults = {key: {**entry, "label": callout_label(language, key) or entry["label"]}
                for key, entry in schemas.CALLOUT_DEFAULTS.items()}
    kinds = {**defaults, **_dict(raw)}
    return frozen_mapping({key: CalloutKind(key, entry["label"], entry["colour"].upper())
                           for key, entry in kinds.items()})


def _logo(brand: dict, alt: str, diagnostics: Diagnostics):
    if brand.get("logo") is None:
        return None
    from .images import load_image

    return load_image(brand["logo"], alt, brand["logo_span"], diagnostics)


def _grades(raw: dict[str, dict], ungraded_label: str) -> tuple[Grade, ...]:
    grades = [Grade(key, entry["label"], entry["colour"].upper()) for key, entry in raw.items()]
    if "ungraded" not in raw:
        grades.append(Grade("ungraded", ungraded_label, UNGRADED_COLOUR))
    return tuple(grades)
