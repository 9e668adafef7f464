"""Plain-text and Markdown tables for the command line and the reports' text output."""

from __future__ import annotations

from collections.abc import Sequence

from wcwidth import wcswidth


def shown_width(text: str) -> int:
    """How many terminal columns ``text`` takes (``wcwidth``: a CJK character or an emoji takes two, a
    combining accent none); its length where a character has no width (a control character)."""
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Columns padded to their widest cell (in terminal columns: `shown_width`), two spaces apart; the columns
    in ``right`` right-aligned."""
    widths = [max(shown_width(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        padded = []
        for index, (cell, width) in enumerate(zip(cells, widths)):
            text = str(cell)
            pad = " " * (width - shown_width(text))
            padded.append(pad + text if index in right else text + pad)
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * width for width in widths]), *(line(row) for row in rows)])


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table, cells unpadded (``| a | b |``, ``|---|---|``)."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(headers), "|" + "---|" * len(headers), *(line(row) for row in rows)])
