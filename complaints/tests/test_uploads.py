"""Hostile uploads: an image is refused by its header before a pixel is decoded
when decoding it would cost too much (kernel/validators.py), files over the cap
are not read at all, and adding information, rating and asking for a review
are limited per address like the complaint form."""

import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints import attachments, public_views, services
from complaints.models import ComplaintAttachment
from complaints.tests.factories import submit
from kernel.validators import MAX_IMAGE_FRAMES, MAX_IMAGE_PIXELS

pytestmark = pytest.mark.django_db


def gif_bomb(frames=100, width=2000, height=2000) -> bytes:
    """``frames`` one-pixel frames on a ``width`` x ``height`` canvas: 2 KB that
    decode to ``frames`` full canvases."""
    out = io.BytesIO()
    out.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff")
    out.write(b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")
    for _ in range(frames):
        out.write(b"!\xf9\x04\x04\x01\x00\x00\x00")  # 1/100 s, keep the canvas
        out.write(b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00")
    out.write(b";")
    return out.getvalue()


def png_of(width, height) -> bytes:
    """A real grey PNG of ``width`` x ``height`` (it compresses to almost nothing)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x80" * width
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def photo(name="photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form(problem_type, **files):
    return {
        "office": "",
        "problem_type": problem_type.pk,
        "description": "窗口工作人员态度恶劣，多次推诿不予办理。",
        "is_anonymous": "anonymous",
        "email": "",
        "website": "",
        **files,
    }


@pytest.fixture
def problem_type():
    from complaints.models import ProblemType

    return ProblemType.objects.filter(is_active=True).first()


@pytest.fixture
def decoded(monkeypatch):
    """Records every image the server decodes."""
    calls = []
    real = attachments.strip_metadata

    def spy(data, kind):
        calls.append(kind)
        return real(data, kind)

    monkeypatch.setattr(attachments, "strip_metadata", spy)
    return calls


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("bomb.gif", gif_bomb(), "100 frames of 2000 × 2000 pixels"),
        ("bomb.gif", gif_bomb(frames=MAX_IMAGE_FRAMES, width=1500, height=1500), "frames"),
        ("huge.png", png_of(10000, 7500), "10000 × 7500 pixels"),
    ],
    ids=["100-frame-gif", "50-frame-gif-too-many-pixels", "75-megapixel-png"],
)
def test_an_image_bomb_is_refused_quickly_by_its_header_next_to_the_field(
    client, problem_type, decoded, name, content, words
):
    started = time.monotonic()
    response = client.post(
        reverse("complaints:new"), form(problem_type, attachments=[SimpleUploadedFile(name, content)])
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 400
    (message,) = response.context["form"].errors["attachments"]
    assert words in message
    assert decoded == []
    assert elapsed < 2
    assert not ComplaintAttachment.objects.exists()


def test_a_photo_within_the_limits_is_still_accepted_and_cleaned(client, problem_type, decoded):
    response = client.post(reverse("complaints:new"), form(problem_type, attachments=[photo()]))

    assert response.status_code == 302
    assert decoded == ["jpeg"]
    assert ComplaintAttachment.objects.get().size > 0


def test_a_very_large_jpeg_is_decoded_at_a_fraction_of_its_size():
    out = io.BytesIO()
    Image.new("RGB", (6400, 4800), "teal").save(out, format="JPEG", quality=50)  # 30.7 megapixels
    assert MAX_IMAGE_PIXELS < 6400 * 4800

    cleaned = attachments.strip_metadata(out.getvalue(), "jpeg")

    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (3200, 2400)


def test_files_over_the_complaints_cap_are_refused_without_being_read(client, office_a, decoded):
    complaint, code = submit(office=office_a)
    for n in range(2 * services.MAX_ATTACHMENTS):
        ComplaintAttachment.objects.create(
            complaint=complaint, original_name=f"{n}.pdf", size=1, from_complainant=True, file=f"x/{n}.pdf"
        )
    client.post(reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "access_code": code})

    response = client.post(
        reverse("complaints:track-add-info", args=[complaint.tracking_number]),
        {"text": "再补充一张照片。", "attachments": [photo()]},
    )

    assert response.status_code == 400
    assert response.context["add_info_form"].errors["attachments"] == [
        "No more files can be attached to this complaint."
    ]
    assert decoded == []


def test_more_files_than_any_form_takes_are_refused_before_they_are_stored(client, problem_type):
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4 x") for n in range(11)]

    response = client.post(reverse("complaints:new"), form(problem_type, attachments=files))

    assert response.status_code == 400
    assert not ComplaintAttachment.objects.exists()


@pytest.mark.parametrize("action", ["add-info", "rate", "review"])
def test_follow_ups_are_limited_per_address_like_the_form(client, office_a, action, monkeypatch):
    monkeypatch.setattr(public_views, "FOLLOW_UP_RATE", "3/10m")
    complaint, code = submit(office=office_a)
    client.post(reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "access_code": code})
    url = reverse(f"complaints:track-{action}", args=[complaint.tracking_number])

    statuses = [client.post(url, {"text": "", "rating": "", "reason": ""}).status_code for _ in range(4)]

    assert statuses == [400, 400, 400, 429]
    limited = client.post(url, {})
    assert 'data-testid="rate-limited"' in limited.content.decode()
    # Another address is not held back.
    assert client.post(url, {}, REMOTE_ADDR="198.51.100.77").status_code == 400
