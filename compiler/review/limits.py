"""Bounds on what `reportc review` reads: a returned DOCX is untrusted input.

Every part is read, parsed and counted under a bound a real draft stays well within, so a crafted
file of a few hundred KB ends in one clear error within seconds instead of gigabytes or hours.
Measured on a 609-page draft (the eastmoor sample 90 times over): document.xml 4.0 MB with
275,000 tags and attributes (6.6 MB and 490,000 once saved again by LibreOffice), depth 12,
12,900 bookmarks; its source map 1.5 MB.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

# Uncompressed size of one part, refused from what the archive declares before decompressing
# (a 1.5 GB document.xml compresses to 1.5 MB); and of all parts read together (a zip can list
# many parts that share one compressed stream).
MAX_PART_BYTES = 32 * 2**20
MAX_TOTAL_BYTES = 96 * 2**20
# Tags and attributes in one part: what the parsed tree costs (1,000,000 empty elements are
# 150 MB in lxml, 1,000,000 attributes 240 MB), counted on the bytes before parsing. The worst
# part within it costs a review under 400 MB.
MAX_MARKUP = 1_500_000
# Element nesting: a draft is 12 deep; deep nesting made text gathering quadratic.
MAX_DEPTH = 100
MAX_BOOKMARKS = 50_000
MAX_COMMENTS = 10_000
# Tracked-change elements (w:ins, w:del, w:moveFrom, w:moveTo): each can be a remark, and 180,000
# remarks were 650 MB of JSON output.
MAX_REVISIONS = 50_000
# Characters of commented text kept per comment (text output shows the first 80).
MAX_ANCHOR = 1_000
# Characters of a comment's own text kept: a 30 MB comment was one 30 MB output line and 620 MB.
MAX_COMMENT_TEXT = 10_000
# Tracked changes inside tracked changes: Word writes at most two (reviewer B deleting text
# reviewer A inserted); 95 nested insertions made every one gather all the text below it again.
MAX_CHANGE_NESTING = 2

# The returned file itself: a 600-page draft is about 1 MB zipped. Its central directory lists
# about 30 parts; zipfile reads the whole directory into memory before anything else, so it is
# bounded from the end-of-directory record first.
MAX_DOCX_BYTES = 64 * 2**20
MAX_PARTS = 1_000
MAX_DIRECTORY_BYTES = 1 * 2**20

# What zipfile raises on a damaged or unsupported entry: RuntimeError for an encrypted one,
# NotImplementedError for an unknown compression method, zlib.error / EOFError / struct.error
# for corrupt or cut-short data (deflate), OSError and ValueError for a corrupt bzip2 part,
# LZMAError for a corrupt LZMA part or its properties (not an OSError: it was a traceback),
# UnicodeDecodeError for a name that is not valid UTF-8, ValueError ("negative seek value") for a
# directory whose offsets point before the start of the file.
try:
    from lzma import LZMAError
except ImportError:  # a Python built without lzma: zipfile then refuses LZMA parts as unsupported
    LZMAError = zlib.error
ZIP_ERRORS = (OSError, EOFError, RuntimeError, NotImplementedError, UnicodeDecodeError, ValueError, struct.error,
              zlib.error, LZMAError, zipfile.BadZipFile, zipfile.LargeZipFile)


class ReviewError(Exception):
    """The file cannot be reviewed: unreadable, not a DOCX, or not a reportc draft."""


class MalformedPart(ReviewError):
    """A part is not well-formed XML (an unrelated custom XML part may be skipped)."""


def unreadable(error: BaseException | str) -> ReviewError:
    reason = error if isinstance(error, str) else reason_of(error)
    return ReviewError(f"cannot read this file as a DOCX ({reason})")


def reason_of(error: BaseException) -> str:
    if isinstance(error, RuntimeError) and "encrypted" in str(error):
        return "a part is encrypted; save it again without a password"
    if isinstance(error, NotImplementedError):
        return "a part uses a compression method Word does not write"
    if isinstance(error, LZMAError):
        return f"its LZMA-compressed data is corrupt: {error}"
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def too_many(count: int, what: str, scale: str) -> ReviewError:
    return ReviewError(f"this draft has more than {count:,} {what}; a reportc draft never has that many ({scale})")


class PartReader:
    """Reads parts of one archive, each and all together under a size bound."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.left = MAX_TOTAL_BYTES

    def read(self, name: str) -> bytes:
        size = self.archive.getinfo(name).file_size
        if size > MAX_PART_BYTES:
            raise unreadable(f"its part {name} is {size:,} bytes uncompressed, over the "
                             f"{MAX_PART_BYTES // 2**20} MB a report's DOCX needs")
        if size > self.left:
            raise unreadable(f"its parts are over {MAX_TOTAL_BYTES // 2**20} MB uncompressed together, "
                             f"more than a report's DOCX needs")
        try:
            data = self.archive.read(name)  # zipfile stops at the declared size
        except ZIP_ERRORS as error:
            raise unreadable(f"its part {name}: {reason_of(error)}") from None
        self.left -= len(data)
        return data

    def parse(self, name: str) -> "etree._Element":
        return parse_part(self.read(name), name)


def parse_part(data: bytes, name: str) -> "etree._Element":
    """`data` as an XML tree, refused before parsing when it has too much markup for a draft."""
    from lxml import etree

    markup = data.count(b"<") + data.count(b"=")  # each element needs a '<', each attribute a '='
    if markup > MAX_MARKUP:
        raise too_many(MAX_MARKUP, f"XML tags and attributes in its part {name}",
                       "a 600-page report saved by LibreOffice has about 500,000")
    # lxml's default limits stay on (no huge_tree): depth 256, 10 MB text nodes; no entities.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        if "depth" in str(error):
            raise _too_deep(name) from None
        raise MalformedPart(f"cannot read this file as a DOCX (its part {name} is malformed XML: "
                            f"{error})") from None
    if root.xpath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")"):  # at C speed, over every element once
        raise _too_deep(name)
    return root


def _too_deep(name: str) -> ReviewError:
    return ReviewError(f"this draft's part {name} nests elements more than {MAX_DEPTH} deep; a reportc "
                       f"draft never does (a 600-page report is 12 deep)")


def count(root: "etree._Element", tag: str) -> int:
    """Elements `tag` ("{namespace}name") under `root`, counted at C speed."""
    from lxml import etree

    return int(etree.ETXPath(f"count(//{tag})")(root))


_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")  # signature, disk numbers, entries here, entries, size, offset, comment


def read_docx(path) -> bytes:
    """The returned file's bytes: a regular file (never a FIFO, which would block), of at most
    MAX_DOCX_BYTES, whose zip directory lists at most MAX_PARTS parts in MAX_DIRECTORY_BYTES."""
    from ..build.safefile import NotRegularFile, read_regular

    try:
        data = read_regular(path, MAX_DOCX_BYTES, follow=True)
    except NotRegularFile:
        raise ReviewError("not a regular file (a folder, FIFO or device?); give the path of a .docx file") from None
    except (OSError, ValueError) as error:
        raise unreadable(error) from None
    if data is None:
        raise ReviewError(f"the file is over {MAX_DOCX_BYTES // 2**20} MB; a reportc draft is a few MB at most")
    _check_directory(data)
    return data


def _check_directory(data: bytes) -> None:
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))  # the record and at most a 64 KB comment
    if at < 0 or at + _END_OF_DIRECTORY.size > len(data):
        raise unreadable("it is not a zip archive")
    _, _, _, _, entries, size, _, _ = _END_OF_DIRECTORY.unpack_from(data, at)
    if entries == 0xFFFF or size == 0xFFFFFFFF:
        raise unreadable("it is a ZIP64 archive, which no word processor writes for a report")
    if entries > MAX_PARTS or size > MAX_DIRECTORY_BYTES:
        raise too_many(MAX_PARTS, "parts", "a draft has about 30")
