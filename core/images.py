"""Checking and cleaning uploaded pictures: validate by content, strip metadata, thumbnail, hash."""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

# Only these decoders are ever tried, which keeps Pillow's rarer parsers away from uploads.
# Phone JPEGs carrying multi-picture data come back as format "MPO" through the JPEG decoder.
_ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP")
DEFAULT_MAX_PIXELS = 40_000_000

JPEG_QUALITY = 88
THUMB_QUALITY = 80


class ImageRejected(Exception):
    """An upload that is not an acceptable picture; `reason` is a message key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes
    thumbnail: bytes
    mime: str
    sha256: str
    width: int
    height: int
    size: int


def _load_upright(raw: bytes, max_pixels: int) -> Image.Image:
    probe = Image.open(io.BytesIO(raw), formats=_ACCEPTED_FORMATS)
    # Header dimensions are checked before any pixel is decoded.
    if probe.width * probe.height > max_pixels:
        raise ImageRejected("image.too_many_pixels")
    probe.verify()
    # verify() leaves the file object unusable, so decode from a fresh one.
    image = Image.open(io.BytesIO(raw), formats=_ACCEPTED_FORMATS)
    image.load()  # first frame only for GIF/WEBP animations
    return ImageOps.exif_transpose(image)


def _decode(raw: bytes, *, max_bytes: int, max_pixels: int) -> Image.Image:
    """Validate `raw` and return the fully loaded, upright first frame."""
    if not raw:
        raise ImageRejected("image.empty")
    if len(raw) > max_bytes:
        raise ImageRejected("image.too_large")
    # Escalating the warning means a size above Pillow's own limit is refused, not just logged.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _load_upright(raw, max_pixels)
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected("image.too_many_pixels") from None
        except Exception:  # noqa: BLE001 - decoders fed hostile bytes raise many exception types
            raise ImageRejected("image.not_an_image") from None


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _content_hash(image: Image.Image) -> str:
    """Hash of the decoded pixels, not the file bytes.

    The same picture re-saved with other metadata (or losslessly re-encoded) then still
    counts as a duplicate. RGBA keeps differing transparency apart; the size is included
    because a 2x3 and a 3x2 image can have the same pixel bytes.
    """
    digest = hashlib.sha256(f"{image.width}x{image.height}:".encode())
    digest.update(image.convert("RGBA").tobytes())
    return digest.hexdigest()


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    # Clearing info keeps Pillow from copying a comment or ICC profile into the output;
    # EXIF is only written when passed explicitly, which we never do.
    image.info.clear()
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    """RGB version of `image`, with any transparent parts laid on white."""
    if not _has_transparency(image):
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def process_upload(
    raw: bytes,
    *,
    max_bytes: int = 8 * 1024 * 1024,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    thumb_size: int = 480,
) -> ProcessedImage:
    """Validate an uploaded picture and return a clean re-encoding plus a thumbnail.

    Output format: PNG when the picture has transparency or is palette/bilevel (logos,
    charts, GIFs: JPEG would smear them); JPEG for everything else (photos). Neither
    carries EXIF, GPS, comments or ICC profiles.
    """
    image = _decode(raw, max_bytes=max_bytes, max_pixels=max_pixels)
    sha256 = _content_hash(image)

    if _has_transparency(image):
        data = _encode(image.convert("RGBA"), "PNG", optimize=True)
        mime = "image/png"
    elif image.mode in ("P", "1"):
        data = _encode(image.copy(), "PNG", optimize=True)
        mime = "image/png"
    else:
        clean = image.convert("L" if image.mode == "L" else "RGB")
        data = _encode(clean, "JPEG", quality=JPEG_QUALITY, optimize=True)
        mime = "image/jpeg"

    thumb = _on_white(image)
    thumb.thumbnail((thumb_size, thumb_size), Image.Resampling.LANCZOS)
    thumbnail = _encode(thumb, "JPEG", quality=THUMB_QUALITY, optimize=True)

    return ProcessedImage(
        data=data,
        thumbnail=thumbnail,
        mime=mime,
        sha256=sha256,
        width=image.width,
        height=image.height,
        size=len(data),
    )


def image_hash(raw: bytes) -> str:
    """Content hash of `raw`, equal to `process_upload(raw).sha256`; rejects non-pictures."""
    # No byte limit here: the caller may hash stored pictures larger than an upload may be.
    return _content_hash(_decode(raw, max_bytes=len(raw), max_pixels=DEFAULT_MAX_PIXELS))
