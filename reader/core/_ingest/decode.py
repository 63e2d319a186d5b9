"""Turning a file's bytes into text: BOMs, UTF-8, a declared charset, else a careful guess.

The guess leans Western: charset-normalizer finds many code pages equally plausible for a short
French or German text, so when cp1252 is among the best candidates it wins over cp1250 or cp1125.
"""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_TIE = 0.01
_MULTIBYTE = ("cp932", "shift_jis", "euc", "gb", "big5", "cp949", "cp950", "iso2022", "hz", "johab")


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces and the mark's length, or None without a BOM."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a whole document to text; never raises, never leaves a BOM at the start.

    Args:
        data: the raw bytes.
        declared: a charset the document names itself (HTML meta, email header), tried after
            BOMs and strict UTF-8.
    """
    bom = bom_encoding(data)
    if bom:
        return data[bom[1] :].decode(bom[0], errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and _known_codec(declared):
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode(_guess_encoding(data), errors="replace")


def sniff_text(data: bytes, limit: int = 4096) -> str:
    """A quick, lossy decode of the start of a document, for format detection only."""
    head = data[:limit]
    bom = bom_encoding(head)
    if bom:
        return head[bom[1] :].decode(bom[0], errors="ignore")
    return head.decode("utf-8", errors="replace")


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):
        return False
    return True


def _guess_encoding(data: bytes) -> str:
    import charset_normalizer  # imported when a file needs guessing, not when the window starts

    # UTF-16/32 without a BOM is only plausible with NUL bytes, and those were refused as binary.
    results = [
        m for m in charset_normalizer.from_bytes(data[:65536]) if not m.encoding.startswith(("utf_16", "utf_32"))
    ]
    if not results:
        return _western_fallback(data)
    best = results[0]
    if best.coherence == 0 and not best.encoding.startswith(_MULTIBYTE):
        return _western_fallback(data)  # no language recognised: too little text to tell code pages apart
    for match in results:
        tied = match.chaos <= best.chaos + _TIE and match.coherence >= best.coherence - _TIE
        if tied and match.encoding in _WESTERN:
            return _western_fallback(data)
    return best.encoding


def _western_fallback(data: bytes) -> str:
    """cp1252 when every byte is defined in it (it has the curly quotes and dashes), else Latin-1."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin_1"
    return "cp1252"
