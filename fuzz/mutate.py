"""Structure-aware mutations for the fuzz targets: each takes bytes and a `random.Random` and
returns new bytes. Both engines use them: hypothesis drives the Random (so a failure shrinks),
atheris calls them as its custom mutator beside its own byte-level one.

Raw byte flips mostly produce files the first check throws away (bad JSON, a zip whose CRC
fails, a font without a table directory). These keep the container intact and change what
lies inside it, so the checks behind the first one are reached too.
"""
from __future__ import annotations

import io
import itertools
import json
import random
import re
import struct
import warnings
import zipfile

# Integers at the edges of what the formats and reportc's checks hold.
EDGE_INTEGERS = (0, 1, -1, 2, 255, 256, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 2**31 - 1, 2**31, 2**32 - 1, 2**32,
                 2**53, 2**63 - 1, 2**63, 2**64, -2**63, 10**30)
EDGE_TEXTS = ("", " ", ".", "..", "/", "a/./b", "a//b", "x" * 5000, "\x00", "\ud800", "\u202e", "\u2028", "\x1b[2J",
              "C:\\x", "null", "0", "nan", "\u00e9\u0301")
RAW_BYTES = (b"\x00", b"\xff", b"\xef\xbb\xbf", b"\t", b"\r", b"\n", b"\\", b'"', b"'", b"\xc3", b"\xed\xa0\x80")


def mutate_bytes(data: bytes, rng: random.Random, pieces: tuple[bytes, ...] = ()) -> bytes:
    """The generic mutations: insert a piece or random bytes, delete, duplicate or overwrite a
    range, flip a byte, cut the end off."""
    out = bytearray(data)
    at = rng.randrange(len(out) + 1)
    choice = rng.randrange(7)
    if choice == 0:
        out[at:at] = rng.choice(pieces + RAW_BYTES)
    elif choice == 1:
        out[at:at] = rng.randbytes(rng.randrange(1, 17))
    elif choice == 2:
        del out[at:at + rng.randrange(1, 64)]
    elif choice == 3 and out:
        start = rng.randrange(len(out))
        out[at:at] = out[start:start + rng.randrange(1, 256)]
    elif choice == 4 and at < len(out):
        out[at] ^= 1 << rng.randrange(8)
    elif choice == 5:
        value = rng.choice(EDGE_INTEGERS) & 0xFFFFFFFF
        out[at:at + 4] = value.to_bytes(4, rng.choice(("big", "little")))
    else:
        del out[at:]
    return bytes(out)


# ---- JSON (the build cache, manifests) ----------------------------------------------------

JSON_PIECES = (b"[", b"]", b"{", b"}", b",", b":", b'"', b"1e999999", b"-0", b"NaN", b"Infinity", b"9" * 5000,
               b'"\\ud800"', b'"\\u0000"', b"[" * 5000, b"{\"a\":" * 3000, b"null", b"true")
_RAW = "\x00raw{}\x00"  # a placeholder json.dumps writes as a string, replaced by raw text after


def mutate_json(data: bytes, rng: random.Random, texts: tuple[str, ...] = ()) -> bytes:
    """Change one value, name or structure inside the JSON document (or the bytes, when it is
    not JSON), written back with random formatting."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return mutate_bytes(data, rng, JSON_PIECES)
    raws: list[str] = []
    places = _places(document)
    if not places or rng.random() < 0.05:
        document = _json_value(rng, texts, raws)
    else:
        parent, key = rng.choice(places)
        _mutate_place(parent, key, rng, texts, raws)
    text = json.dumps(document, indent=rng.choice((None, None, 1)), sort_keys=rng.random() < 0.5,
                      ensure_ascii=rng.random() < 0.5)
    for number, raw in enumerate(raws):
        text = text.replace(json.dumps(_RAW.format(number)), raw)
    out = text.encode("utf-8", "surrogatepass")
    return mutate_bytes(out, rng, JSON_PIECES) if rng.random() < 0.1 else out


def _places(document: object, limit: int = 2000) -> list[tuple[object, object]]:
    """(container, key or index) of every value under the root, breadth first, at most `limit`."""
    places: list[tuple[object, object]] = []
    queue = [document]
    while queue and len(places) < limit:
        node = queue.pop(0)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            places.append((node, key))
            queue.append(value)
    return places


def _mutate_place(parent, key, rng: random.Random, texts: tuple[str, ...], raws: list[str]) -> None:
    choice = rng.randrange(6)
    value = parent[key]
    if choice == 0:  # a value of another type, or an edge of the same one
        parent[key] = _json_value(rng, texts, raws)
    elif choice == 1:  # gone
        del parent[key]
    elif choice == 2 and isinstance(parent, dict):  # renamed: keys are file names in the cache
        parent[rng.choice(texts + EDGE_TEXTS)] = parent.pop(key)
    elif choice == 3 and isinstance(parent, dict):  # copied under another name
        parent[rng.choice(texts + EDGE_TEXTS)] = json.loads(json.dumps(value))
    elif choice == 4 and isinstance(parent, list):  # listed twice
        parent.insert(rng.randrange(len(parent) + 1), json.loads(json.dumps(value)))
    elif isinstance(value, str):  # the same text with a piece added
        at = rng.randrange(len(value) + 1)
        parent[key] = value[:at] + rng.choice(texts + EDGE_TEXTS) + value[at:]
    elif type(value) is int:
        parent[key] = value + rng.choice((-1, 1, -value - 1, 2**32))
    else:
        parent[key] = _json_value(rng, texts, raws)


def _json_value(rng: random.Random, texts: tuple[str, ...], raws: list[str]) -> object:
    choice = rng.randrange(8)
    if choice == 0:
        return rng.choice((None, True, False, 0.5, [], {}, [None], {"": None}))
    if choice == 1:
        return rng.choice(EDGE_INTEGERS)
    if choice in (2, 3):
        return rng.choice(texts + EDGE_TEXTS) if texts else rng.choice(EDGE_TEXTS)
    if choice == 4:
        return rng.randbytes(rng.randrange(1, 64)).hex()
    # Raw text json.dumps will not write: deep nesting, huge or odd numbers.
    depth = rng.choice((50, 1000, 100_000))
    raw = rng.choice(("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth, "1e999999", "-0.0",
                      "9" * rng.choice((20, 5000)), "NaN", "-Infinity", "1.0"))
    raws.append(raw)
    return _RAW.format(len(raws) - 1)


# ---- TrueType fonts -----------------------------------------------------------------------

# The tables fontcheck and reportlab read, most often the ones whose counts drive allocation.
FONT_TABLES = ("cmap", "cmap", "maxp", "loca", "hmtx", "head", "hhea", "name", "post", "OS/2", "glyf")


def font_tables(data: bytes) -> dict[str, tuple[int, int, int]]:
    """tag -> (offset, length, where its directory record is), for the records inside the file."""
    tables = {}
    if len(data) >= 12:
        count, = struct.unpack_from(">H", data, 4)
        for index in range(count):
            record = 12 + 16 * index
            if record + 16 > len(data):
                break
            tag, _, offset, length = struct.unpack_from(">4sIII", data, record)
            tables[tag.decode("latin-1")] = (offset, length, record)
    return tables


def mutate_font(data: bytes, rng: random.Random) -> bytes:
    """Patch a field inside a table (most often near its start, where the counts are), a cmap
    subtable's header, a directory record, or cut the file short."""
    tables = font_tables(data)
    present = [tag for tag in FONT_TABLES if tag in tables and tables[tag][0] + tables[tag][1] <= len(data)]
    choice = rng.randrange(10)
    if not present or choice == 0:
        return mutate_bytes(data, rng)
    out = bytearray(data)
    if choice == 1:  # the directory: a table moved, resized or renamed
        offset, length, record = tables[rng.choice(present)]
        field = rng.choice((4, 8, 12))
        if field == 4:
            out[record:record + 4] = rng.choice(present).encode("latin-1").ljust(4)
        else:
            _patch(out, record + field, 4, rng)
    elif choice == 2:
        del out[rng.randrange(len(out)):]
    elif choice in (3, 4) and "cmap" in present:
        _patch(out, _cmap_subtable_field(data, tables["cmap"], rng), rng.choice((2, 4)), rng)
    else:
        offset, length, _ = tables[rng.choice(present)]
        if length:
            inside = rng.randrange(min(length, 64)) if rng.random() < 0.6 else rng.randrange(length)
            _patch(out, offset + inside, rng.choice((1, 2, 2, 4)), rng)
    return bytes(out)


def _cmap_subtable_field(data: bytes, cmap: tuple[int, int, int], rng: random.Random) -> int:
    """An offset in the first bytes of one of the cmap's subtables (format, length, counts)."""
    offset, length, _ = cmap
    count, = struct.unpack_from(">H", data, offset + 2)
    records = [offset + 4 + 8 * index for index in range(min(count, 64)) if offset + 12 + 8 * index <= len(data)]
    if not records:
        return offset + rng.randrange(max(length, 1))
    start = offset + struct.unpack_from(">I", data, rng.choice(records) + 4)[0]
    return start + 2 * rng.randrange(10)


def _patch(out: bytearray, at: int, width: int, rng: random.Random) -> None:
    if at + width > len(out):
        return
    old = int.from_bytes(out[at:at + width], "big")
    top = (1 << (8 * width)) - 1
    value = rng.choice((0, 1, top, top >> 1, (top >> 1) + 1, old + 1, old - 1, old * 2, old >> 1,
                        rng.getrandbits(8 * width))) & top
    out[at:at + width] = value.to_bytes(width, "big")


# ---- DOCX (a returned draft) --------------------------------------------------------------

XML_PIECES = (b"<", b">", b"</w:p>", b"<w:p>", b"<w:r><w:t>x</w:t></w:r>", b'<w:ins w:id="9" w:author="a" w:date="d">',
              b"</w:ins>", b'<w:del w:id="9" w:author="\x1b[2J">', b"</w:del>", b"<w:delText>gone</w:delText>",
              b'<w:commentRangeStart w:id="0"/>', b'<w:commentRangeEnd w:id="0"/>',
              b'<w:commentReference w:id="0"/>', b'<w:bookmarkStart w:id="1" w:name="_rc1c_1_1"/>',
              b'<w:bookmarkEnd w:id="1"/>', b'<w:moveFrom w:id="7">', b"&amp;", b"&#0;", b"&#x10FFFF;", b"&x;",
              b'<!DOCTYPE d [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;">]>',
              b'<!DOCTYPE d SYSTEM "file:///etc/passwd">', b"<![CDATA[", b"]]>", b"<?pi?>", b"<!--", b"-->",
              b' xmlns:w="urn:other"', b' line="0"', b' line="-1"', b' col="99999999999999999999"',
              b' name="../../etc"', b' file="/etc/passwd"', b"<a>" * 200, b"</a>" * 200)
_XML_VALUES = (b"", b"0", b"-1", b"99999999999999999999", b"_rc1c_1_1", b"../x", b"\xff", b"&#8238;", b"a" * 3000)


def mutate_docx(data: bytes, rng: random.Random) -> bytes:
    """Change one part's XML inside the zip and zip it again; sometimes drop, add or repeat a
    part; sometimes change the zip's own bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:  # noqa: BLE001 - any damage: mutate the bytes as they are
        return mutate_bytes(data, rng, XML_PIECES)
    if not parts or rng.random() < 0.1:
        return mutate_bytes(data, rng, XML_PIECES)
    names = [info.filename for info, _ in parts]
    weighted = [name for name in names if name in ("word/document.xml", "word/comments.xml")] * 4
    weighted += [name for name in names if name.startswith("customXml/")] * 2 + names
    chosen = rng.choice(weighted)
    choice = rng.randrange(12)
    if choice == 0:
        parts = [(info, body) for info, body in parts if info.filename != chosen]
    elif choice == 1:
        parts.append((zipfile.ZipInfo(chosen), rng.choice([body for _, body in parts])))
    else:
        parts = [(info, mutate_xml(body, rng) if info.filename == chosen else body) for info, body in parts]
    return _zipped(parts, rng)


def mutate_xml(data: bytes, rng: random.Random) -> bytes:
    """Tag-aligned edits: a piece of WordprocessingML inserted at a tag boundary, an element's
    range repeated, removed or moved, an attribute value replaced; else a byte mutation."""
    tags = [match.start() for match in itertools.islice(re.finditer(b"<", data), 20000)]
    choice = rng.randrange(6)
    if not tags or choice == 5:
        return mutate_bytes(data, rng, XML_PIECES)
    start = rng.choice(tags)
    end = rng.choice(tags[tags.index(start):][:50])
    if choice == 0:
        return data[:start] + rng.choice(XML_PIECES) + data[start:]
    if choice == 1:
        return data[:end] + data[start:end] * rng.choice((1, 2, 50)) + data[end:]
    if choice == 2:
        return data[:start] + data[end:]
    if choice == 3:
        other = rng.choice(tags)
        piece = data[start:end]
        rest = data[:start] + data[end:]
        other = min(other, len(rest))
        return rest[:other] + piece + rest[other:]
    quote = data.find(b'="', start)
    close = data.find(b'"', quote + 2) if quote >= 0 else -1
    if close < 0:
        return mutate_bytes(data, rng, XML_PIECES)
    return data[:quote + 2] + rng.choice(_XML_VALUES) + data[close:]


def _zipped(parts: list[tuple[zipfile.ZipInfo, bytes]], rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, body in parts:
            fresh = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fresh.compress_type = zipfile.ZIP_STORED if rng.random() < 0.2 else zipfile.ZIP_DEFLATED
            with warnings.catch_warnings():  # zipfile warns about a repeated name: wanted here
                warnings.simplefilter("ignore")
                archive.writestr(fresh, body)
    return buffer.getvalue()


# ---- the build cache: entries that still pass cachecheck ----------------------------------

def mutate_cache(data: bytes, rng: random.Random, texts: tuple[str, ...]) -> bytes:
    """Half the time a change cachecheck lets through (so the planner, the skip path and the
    removal of replaced outputs act on it), else any JSON mutation."""
    try:
        document = json.loads(data)
        entries = document["entries"]
        source = rng.choice(sorted(entries))
        entry = entries[source]
        entry["outputs"]  # noqa: B018 - a KeyError or TypeError means: not an entry to edit
    except (ValueError, RecursionError, KeyError, TypeError, IndexError):
        return mutate_json(data, rng, texts)
    if rng.random() < 0.5:
        return mutate_json(data, rng, texts)
    try:
        _CACHE_EDITS[rng.randrange(len(_CACHE_EDITS))](entries, source, entry, rng, texts)
    except (KeyError, TypeError, IndexError, AttributeError, ValueError):  # an entry already mutated out of shape
        return mutate_json(data, rng, texts)
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _drop_outputs(entries, source, entry, rng, texts) -> None:
    if entry["outputs"]:
        del entry["outputs"][rng.randrange(len(entry["outputs"])):]


def _new_id(entries, source, entry, rng, texts) -> None:
    entry["id"] = rng.choice(("r2", "canary", "manifest", "a" * 100, "r1-old"))
    for output in entry["outputs"]:
        output["name"] = f"{entry['id']}.{output['format']}"


def _other_source(entries, source, entry, rng, texts) -> None:
    """Another source claims outputs: the same, or its own."""
    other = json.loads(json.dumps(entry))
    if rng.random() < 0.5:
        _new_id(entries, source, other, rng, texts)
    entries[rng.choice(("sources/r2.yaml", "sources/gone.yaml", "r1.yaml") + texts)] = other


def _options(entries, source, entry, rng, texts) -> None:
    options = entry["options"]
    key = rng.choice(("formats", "print", "strict", "source_date"))
    values = {"formats": (["pdf"], ["docx", "pdf"], ["pdf", "docx"]), "print": (True, False),
              "strict": (True, False), "source_date": (None, "published", "2023-11-15", "")}
    options[key] = rng.choice(values[key])


def _inputs(entries, source, entry, rng, texts) -> None:
    inputs = entry["inputs"]
    key = rng.choice(sorted(inputs))
    choice = rng.randrange(4)
    if choice == 0:
        del inputs[key]
    elif choice == 1:
        inputs[key] = None if inputs[key] else "0" * 64
    elif choice == 2:
        inputs[rng.choice(texts)] = rng.choice((None, "0" * 64, inputs[key]))
    else:
        inputs[key] = rng.randbytes(32).hex()


def _output_fields(entries, source, entry, rng, texts) -> None:
    if not entry["outputs"]:
        entry["outputs"].append({"name": f"{entry['id']}.pdf", "format": "pdf", "size": 1, "pages": 1,
                                 "sha256": "0" * 64, "mtime_ns": 0})
        return
    output = rng.choice(entry["outputs"])
    key = rng.choice(("size", "mtime_ns", "pages", "sha256", "format"))
    if key == "sha256":
        output[key] = rng.randbytes(32).hex()
    elif key == "format":
        output["format"] = "pdf" if output["format"] == "docx" else "docx"
        output["name"] = f"{entry['id']}.{output['format']}"
    else:
        old = output[key] or 0
        output[key] = rng.choice((0, 1, old + 1, max(old - 1, 0), 2**63 - 1))


_CACHE_EDITS = (_drop_outputs, _new_id, _other_source, _options, _inputs, _output_fields)
