"""The writable fields of reviews, their sections and the folder's branding, declared once
(kam.fields)."""

from collections.abc import Iterable
from datetime import date
from typing import NotRequired, TypedDict

from django.core.files.uploadedfile import UploadedFile

from accounts.models import Contact
from users.models import User


class ReviewFields(TypedDict, total=False):
    """What `services.review_update` changes; the participants replace the lists when
    given (None or left out: they stay)."""

    meeting_on: date | None
    place: str
    language: str
    status: str
    backdate_reason: str
    minutes: str
    next_review_on: date | None
    our_participants: Iterable[User] | None
    customer_participants: Iterable[Contact] | None


class SectionFields(TypedDict):
    """A section's own text, the one thing its editor writes."""

    text: str


class BrandingFields(TypedDict):
    """The branding is set as a whole (branding.branding_update): the names and colours
    are needed; without `logo` the logo stays, unless `remove_logo`."""

    company_name: str
    address: str
    primary_colour: str
    accent_colour: str
    logo: NotRequired[UploadedFile | None]
    remove_logo: NotRequired[bool]
