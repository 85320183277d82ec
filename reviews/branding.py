"""Our brand on the presentation folder: company name, address, logo and colours, set by
an administrator on the branding page (reviews.views.branding_edit) and read by the
folder (reviews.pdf). The logo is written and read only through the storage API
(default_storage.save / open), so a remote storage works as well as the disk.

An uploaded logo is checked by its content, not its name: a PNG by its signature, an SVG
by parsing it (no DOCTYPE or entities, no scripts, no event handlers, no links outside
the file), and at most BRANDING_LOGO_MAX_BYTES large.
"""

import base64
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kam.fields import given_fields
from reviews.fields import BrandingFields
from reviews.models import FolderBranding
from users.models import Role, User

DEFAULT_LOGO = Path(settings.BASE_DIR) / "static" / "img" / "favicon.svg"
LOGO_FOLDER = "branding"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Brand:
    company_name: str
    address: str
    primary_colour: str
    accent_colour: str
    logo: str  # a data URI ("" for none), so that WeasyPrint fetches nothing


def may_edit(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def current() -> FolderBranding:
    """The branding row, or an unsaved one with the defaults."""
    return FolderBranding.objects.filter(pk=1).first() or FolderBranding(pk=1)


def _data_uri(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def _kind(content: bytes) -> str:
    return "png" if content.startswith(PNG_MAGIC) else "svg"


def logo_bytes(row: FolderBranding) -> bytes | None:
    if not row.logo or not default_storage.exists(row.logo):
        return None
    with default_storage.open(row.logo, "rb") as handle:
        return handle.read()


def brand() -> Brand:
    """What the folder prints. Without a stored logo: the COMPANY_LOGO setting's file, or
    the built-in one when the installation has no branding at all."""
    row = current()
    content = logo_bytes(row)
    if content is not None:
        logo = _data_uri(content, "image/png" if _kind(content) == "png" else "image/svg+xml")
    elif row.pk and row.logo == "" and FolderBranding.objects.filter(pk=1).exists():
        logo = ""  # removed on the branding page: a cover without a logo
    else:
        path = Path(settings.COMPANY_LOGO) if settings.COMPANY_LOGO else DEFAULT_LOGO
        kind = "image/png" if path.suffix.lower() == ".png" else "image/svg+xml"
        logo = _data_uri(path.read_bytes(), kind)
    return Brand(
        company_name=row.company_name or settings.COMPANY_NAME,
        address=row.address,
        primary_colour=row.primary_colour,
        accent_colour=row.accent_colour,
        logo=logo,
    )


def _check_svg(content: bytes) -> None:
    refused = ValidationError(
        {"logo": _("This SVG cannot be used: it has scripts, links or entities.")}
    )
    head = content[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in content.lower():
        raise refused
    try:
        root = ET.fromstring(content)  # noqa: S314 - DOCTYPE and entities refused above
    except ET.ParseError:
        raise ValidationError({"logo": _("The logo must be an SVG or PNG image.")}) from None
    if not root.tag.endswith("svg"):
        raise ValidationError({"logo": _("The logo must be an SVG or PNG image.")})
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1].lower() in {"script", "foreignobject"}:
            raise refused
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise refused
            if local == "href" and not value.startswith("#"):
                raise refused


def check_logo(upload: UploadedFile) -> bytes:
    """The upload's content once it is a PNG or a safe SVG within the size limit."""
    limit = settings.BRANDING_LOGO_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                "logo": _("The logo may be at most %(size)s KB.")
                % {"size": number_format(limit // 1024)}
            }
        )
    content = upload.read()
    if content.startswith(PNG_MAGIC):
        return content
    _check_svg(content)
    return content


@transaction.atomic
def branding_update(
    *,
    actor: User,
    **given: Unpack[BrandingFields],
) -> FolderBranding:
    fields = given_fields(BrandingFields, given)
    company_name: str = fields["company_name"]
    address: str = fields["address"]
    primary_colour: str = fields["primary_colour"]
    accent_colour: str = fields["accent_colour"]
    logo: UploadedFile | None = fields.get("logo")
    remove_logo: bool = fields.get("remove_logo", False)
    if not may_edit(actor):
        raise PermissionDenied(_("Only an administrator may change the branding."))
    for field, value in (("primary_colour", primary_colour), ("accent_colour", accent_colour)):
        if not COLOUR.match(value):
            raise ValidationError({field: _("A colour as #RRGGBB, e.g. #1f4e79.")})
    content = check_logo(logo) if logo is not None else None
    row = FolderBranding.objects.select_for_update().filter(pk=1).first() or FolderBranding(pk=1)
    old_logo = row.logo
    row.company_name = company_name.strip()
    row.address = address.strip()
    row.primary_colour = primary_colour.lower()
    row.accent_colour = accent_colour.lower()
    row.updated_by = actor
    if content is not None:
        suffix = "png" if _kind(content) == "png" else "svg"
        row.logo = default_storage.save(
            f"{LOGO_FOLDER}/logo-{secrets.token_hex(8)}.{suffix}", ContentFile(content)
        )
    elif remove_logo:
        row.logo = ""
    row.save()
    if old_logo and old_logo != row.logo:
        transaction.on_commit(lambda: default_storage.delete(old_logo))
    return row
