"""Images for the record: checked from their content, re-encoded so no metadata travels.

The type comes from what Pillow reads in the bytes, never from the name or the
declared type; anything else is refused: a non-image, a file over MAX_BYTES, an image
over MAX_PIXELS (a decompression bomb). Re-encoding keeps the pixels only, so EXIF and
anything appended to the file (a polyglot's payload) stay behind.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from facilitator.domain import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 4000  # larger images are scaled down to this
ACCEPTED = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/png", "WEBP": "image/png"}


class ImageRefused(DomainError):
    """not_an_image, too_large, too_many_pixels."""


@dataclass(frozen=True)
class Clean:
    data: bytes
    mime: str
    width: int
    height: int


def clean_image(raw: bytes) -> Clean:
    if len(raw) > MAX_BYTES:
        raise ImageRefused("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw))
            if probe.format not in ACCEPTED:
                raise ImageRefused("not_an_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRefused("too_many_pixels")
            probe.verify()
            opened = Image.open(io.BytesIO(raw))
            opened.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused("too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRefused("not_an_image") from exc
    fmt = opened.format or ""
    image: Image.Image = ImageOps.exif_transpose(
        opened
    )  # the photo stands as it was taken, then no EXIF
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if ACCEPTED[fmt] == "image/jpeg":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        keep = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        image.convert(keep).save(out, "PNG", optimize=False)
    return Clean(out.getvalue(), ACCEPTED[fmt], image.width, image.height)
