"""The writable fields of the folder's branding, declared once (kam.fields)."""

from typing import NotRequired, TypedDict

from django.core.files.uploadedfile import UploadedFile


class BrandingFields(TypedDict):
    """The branding is set as a whole (branding.branding_update): the names and colours
    are needed; without `logo` the logo stays, unless `remove_logo`."""

    company_name: str
    address: str
    primary_colour: str
    accent_colour: str
    logo: NotRequired[UploadedFile | None]
    remove_logo: NotRequired[bool]
