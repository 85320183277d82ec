import io

from pypdf import PdfReader

from reviews import services
from reviews.models import FolderVersion


def render(review, actor, capture, *, internal: bool = False) -> FolderVersion:
    """Ask for a folder as the page does and let the (in-process) task render it."""
    with capture(execute=True):
        version, _new = services.folder_request(actor=actor, review=review, internal=internal)
    version.refresh_from_db()
    return version


def pdf_text(version: FolderVersion) -> list[str]:
    """The text of each page, read back from the stored PDF."""
    with version.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [page.extract_text() for page in reader.pages]
