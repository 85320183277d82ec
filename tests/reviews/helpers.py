import io

from django.conf import settings
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

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


def boxes_past_the_right_edge(html: str) -> list[tuple[int, str, float]]:
    """Every text box that ends right of the page's content box, as (page, text, points
    too far), from WeasyPrint's own layout of the folder's HTML."""
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    found = []
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        right = root.margin_width() - root.margin_right

        def walk(box, number=number, right=right):
            if isinstance(box, boxes.TextBox):
                edge = box.position_x + box.margin_width()
                if edge > right + 0.5:
                    found.append((number, box.text[:40], round(edge - right, 1)))
            for child in getattr(box, "children", None) or []:
                walk(child)

        walk(root)
    return found


def laying_out_the_folder(frame) -> bool:
    """Whether a signal handler's frame is inside the folder render, outside any database
    call: where a memory or time limit strikes in a real render (the layout). Interrupting a
    query half-sent would leave the test's connection, which owns its transaction, unusable."""
    inside = False
    while frame is not None:
        path = frame.f_code.co_filename
        if "/psycopg/" in path or "/django/db/" in path:
            return False
        inside = inside or frame.f_code.co_name == "render_folder_pdf"
        frame = frame.f_back
    return inside
