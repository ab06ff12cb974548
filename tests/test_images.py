"""Upload cleaning (core.images) and generated demo pictures (seed.pictures)."""
from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from core.images import ImageRejected, image_hash, process_upload
from seed import pictures
from seed.pictures import book_cover, note_photo

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _picture(size: tuple[int, int] = (64, 48)) -> Image.Image:
    """A picture with varied pixels, so format conversions could not hide a mistake."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.paste((200, 30, 30), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    return image


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR claiming the given size, with no real pixel data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _reason(raw: bytes, **limits: int) -> str:
    with pytest.raises(ImageRejected) as rejected:
        process_upload(raw, **limits)
    return rejected.value.reason


def test_gps_exif_and_comment_are_stripped_and_orientation_applied() -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # stored sideways: the upright picture is 48 wide, 64 high
    exif[0x0110] = "Phone Model X"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)})
    raw = _encode(_picture((64, 48)), "JPEG", exif=exif, comment=b"secret-comment", quality=95)
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD), "fixture must really carry GPS data"

    result = process_upload(raw)

    assert result.mime == "image/jpeg"
    assert (result.width, result.height) == (48, 64)
    for data in (result.data, result.thumbnail):
        cleaned = Image.open(io.BytesIO(data))
        assert cleaned.format == "JPEG"
        assert len(cleaned.getexif()) == 0
        assert "exif" not in cleaned.info
        assert b"Exif" not in data
        assert b"Phone Model X" not in data
        assert b"secret-comment" not in data
    assert result.size == len(result.data)


def test_text_named_like_a_jpeg_is_not_an_image(tmp_path: Path) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_text("这不是图片 just some text\n" * 20, encoding="utf-8")
    assert _reason(fake.read_bytes()) == "image.not_an_image"


def test_truncated_and_unsupported_pictures_are_not_images() -> None:
    jpeg = _encode(_picture((200, 150)), "JPEG")
    assert _reason(jpeg[: len(jpeg) // 2]) == "image.not_an_image"
    assert _reason(_encode(_picture(), "TIFF")) == "image.not_an_image"


def test_empty_upload_is_rejected() -> None:
    assert _reason(b"") == "image.empty"
    with pytest.raises(ImageRejected):
        image_hash(b"")


def test_upload_over_the_byte_limit_is_rejected() -> None:
    raw = _encode(_picture((200, 150)), "PNG")
    assert _reason(raw, max_bytes=len(raw) - 1) == "image.too_large"
    assert process_upload(raw, max_bytes=len(raw)).width == 200


def test_header_claiming_huge_dimensions_is_rejected_before_decoding() -> None:
    # Below Pillow's own bomb limit, so only our max_pixels check can catch it.
    assert _reason(_png_header(5000, 5000), max_pixels=1_000_000) == "image.too_many_pixels"
    # Far above Pillow's limit: its DecompressionBombError must map to the same key.
    assert _reason(_png_header(100_000, 100_000)) == "image.too_many_pixels"
    # A real picture just over a small limit.
    assert _reason(_encode(_picture((100, 100)), "PNG"), max_pixels=9_999) == "image.too_many_pixels"


def test_thumbnail_fits_within_480() -> None:
    result = process_upload(_encode(_picture((1200, 700)), "JPEG"))
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert thumb.format == "JPEG"
    assert max(thumb.size) == 480
    assert thumb.size[1] == 280
    assert (result.width, result.height) == (1200, 700)


def test_transparent_picture_stays_png_and_thumbnail_is_on_white() -> None:
    image = Image.new("RGBA", (80, 60), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (20, 20, 60, 40))
    result = process_upload(_encode(image, "PNG"))
    assert result.mime == "image/png"
    assert Image.open(io.BytesIO(result.data)).mode == "RGBA"
    thumb = Image.open(io.BytesIO(result.thumbnail)).convert("RGB")
    assert thumb.getpixel((2, 2))[0] > 240  # transparent corner became white, not black


def test_same_pixels_with_other_metadata_hash_alike() -> None:
    picture = _picture((90, 70))
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "re-saved by an editor")
    exif = Image.Exif()
    exif[0x0110] = "Camera"
    plain = _encode(picture, "PNG")
    tagged = _encode(picture, "PNG", pnginfo=text, exif=exif)
    assert plain != tagged

    digest = process_upload(plain).sha256
    assert process_upload(tagged).sha256 == digest
    assert image_hash(tagged) == digest
    assert len(digest) == 64

    changed = picture.copy()
    changed.putpixel((0, 0), (1, 2, 3))
    assert image_hash(_encode(changed, "PNG")) != digest
    assert image_hash(_encode(picture.transpose(Image.Transpose.ROTATE_90), "PNG")) != digest


def test_book_cover_is_deterministic_jpeg_of_360_by_480() -> None:
    first = book_cover("论共产党员的修养", "刘少奇", seed=7)
    assert book_cover("论共产党员的修养", "刘少奇", seed=7) == first
    assert book_cover("论共产党员的修养", "刘少奇", seed=8) != first
    cover = Image.open(io.BytesIO(first))
    assert cover.format == "JPEG"
    assert cover.size == (360, 480)


@pytest.mark.parametrize("size", [(640, 480), (800, 600)])
def test_note_photo_is_jpeg_of_requested_size(size: tuple[int, int]) -> None:
    text = "读了这本书,我最深的体会是学习不能停留在书本上,要在实践中发现问题、研究问题、解决问题。" * 6
    raw = note_photo(text, seed=3, size=size)
    photo = Image.open(io.BytesIO(raw))
    assert photo.format == "JPEG"
    assert photo.size == size
    assert note_photo(text, seed=3, size=size) == raw
    assert process_upload(raw).mime == "image/jpeg"


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    pictures.cjk_font.cache_clear()
    monkeypatch.setattr(pictures, "_font_file", lambda bold: None)
    yield
    pictures.cjk_font.cache_clear()


@pytest.mark.usefixtures("no_cjk_font")
def test_pictures_still_draw_without_a_cjk_font() -> None:
    assert Image.open(io.BytesIO(book_cover("红岩", "罗广斌", seed=1))).size == (360, 480)
    assert Image.open(io.BytesIO(book_cover("Red Star", "Snow", seed=1))).size == (360, 480)
    assert Image.open(io.BytesIO(note_photo("学习笔记 notes", seed=1))).size == (640, 480)
