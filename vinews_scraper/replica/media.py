"""Small but real files for the replica's media: baseline JPEG images and PDF/DOCX/XLSX documents.

No imaging or office library is needed: the JPEG encoder only writes images made of flat 8×8
blocks (every AC coefficient is zero), which any decoder reads.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from functools import lru_cache
from xml.sax.saxutils import escape

from .content import ascii_fold

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)  # the standard luminance DC table


def _huffman_codes(bits: tuple[int, ...]) -> list[tuple[int, int]]:
    """Canonical (code, length) of symbols 0, 1, 2, … for a DHT list of code counts per length."""
    codes, code = [], 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes.append((code, length))
            code += 1
        code <<= 1
    return codes


_DC_CODES = _huffman_codes(_DC_BITS)
_EOB = (0b00, 2)  # the AC table holds one symbol, end-of-block, as code "00"


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", marker, len(payload) + 2) + payload


def _scan(values: list[int]) -> bytes:
    """Entropy-coded data for flat blocks of the given gray values (0–255)."""
    bits, count, out, previous = 0, 0, bytearray(), 0
    for value in values:
        dc = 8 * (value - 128)
        diff, previous = dc - previous, dc
        size = abs(diff).bit_length()
        code, length = _DC_CODES[size]
        extra = diff if diff >= 0 else diff + (1 << size) - 1
        for piece, width in ((code, length), (extra, size), _EOB):
            bits, count = (bits << width) | piece, count + width
    padding = -count % 8
    bits, count = (bits << padding) | ((1 << padding) - 1), count + padding
    for byte in bits.to_bytes(count // 8, "big"):
        out += b"\xff\x00" if byte == 0xFF else bytes((byte,))
    return bytes(out)


@lru_cache(maxsize=512)
def jpeg(seed: str, width: int = 96, height: int = 64) -> bytes:
    """A grayscale baseline JPEG of soft gradient blocks, different for every ``seed``."""
    rng = random.Random(seed)
    base, dx, dy = rng.randint(60, 200), rng.randint(-12, 12), rng.randint(-12, 12)
    columns, rows = width // 8, height // 8
    values = [min(255, max(0, base + dx * x + dy * y)) for y in range(rows) for x in range(columns)]
    header = b"".join((
        b"\xff\xd8",
        _segment(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        _segment(0xFFDB, b"\x00" + b"\x01" * 64),
        _segment(0xFFC0, struct.pack(">BHHB", 8, rows * 8, columns * 8, 1) + b"\x01\x11\x00"),
        _segment(0xFFC4, b"\x00" + bytes(_DC_BITS) + bytes(range(12))),
        _segment(0xFFC4, b"\x10" + bytes((0, 1) + (0,) * 14) + b"\x00"),
        _segment(0xFFDA, b"\x01\x01\x00\x00\x3f\x00"),
    ))
    return header + _scan(values) + b"\xff\xd9"


def pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII-folded: the standard fonts have no Vietnamese)."""
    line = ascii_fold(text).encode("ascii", "replace").replace(b"\\", b"\\\\")
    line = line.replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 16 Tf 72 760 Td (" + line + b") Tj ET"
    objects = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    )
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_OOXML = "http://schemas.openxmlformats.org"
_RELATIONSHIP = f"{_OOXML}/officeDocument/2006/relationships"


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), xml.encode("utf-8"))
    return buffer.getvalue()


def _package(main_part: str, main_type: str, extra_types: str, parts: dict[str, str]) -> bytes:
    types = (f'<Types xmlns="{_OOXML}/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/{main_part}" ContentType="{main_type}"/>{extra_types}</Types>')
    rels = (f'<Relationships xmlns="{_OOXML}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{_RELATIONSHIP}/officeDocument" Target="{main_part}"/></Relationships>')
    return _zip({"[Content_Types].xml": types, "_rels/.rels": rels, **parts})


def docx(text: str) -> bytes:
    """A Word document with one paragraph."""
    document = (f'<w:document xmlns:w="{_OOXML}/wordprocessingml/2006/main"><w:body><w:p><w:r>'
                f"<w:t>{escape(text)}</w:t></w:r></w:p></w:body></w:document>")
    main_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _package("word/document.xml", main_type, "", {"word/document.xml": document})


def xlsx(text: str) -> bytes:
    """A workbook with one sheet whose cell A1 holds ``text``."""
    spreadsheet = f"{_OOXML}/spreadsheetml/2006/main"
    workbook = (f'<workbook xmlns="{spreadsheet}" xmlns:r="{_RELATIONSHIP}"><sheets>'
                '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    workbook_rels = (f'<Relationships xmlns="{_OOXML}/package/2006/relationships"><Relationship Id="rId1" '
                     f'Type="{_RELATIONSHIP}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    sheet = (f'<worksheet xmlns="{spreadsheet}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
             f"<is><t>{escape(text)}</t></is></c></row></sheetData></worksheet>")
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    main_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return _package("xl/workbook.xml", main_type,
                    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet_type}"/>',
                    {"xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": workbook_rels,
                     "xl/worksheets/sheet1.xml": sheet})


MAKERS = {"pdf": pdf, "docx": docx, "xlsx": xlsx}
