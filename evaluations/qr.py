"""QR codes for the printed invitations: a compact inline SVG for the print page (no
image requests, sharp at any size, no style attributes for the CSP to refuse) and a
PNG for the spreadsheet."""

from __future__ import annotations

import io

import qrcode
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.pil import PilImage

BORDER = 2


def _matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(data: str, label: str) -> SafeString:
    """An <svg> drawing ``data`` as a QR code: one path of horizontal runs of dark modules."""
    matrix = _matrix(data)
    size = len(matrix)
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return mark_safe(
        f'<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" role="img" aria-label="{escape(label)}">'
        f'<rect fill="#fff" width="{size}" height="{size}"/><path fill="#000" d="{"".join(parts)}"/></svg>'
    )


def qr_png(data: str, box_size: int = 4) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER, box_size=box_size)
    code.add_data(data)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image(image_factory=PilImage).save(out, format="PNG")
    return out.getvalue()
