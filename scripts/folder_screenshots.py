"""The demo's biggest group's presentation folder as PNG pages for the README and the docs:
cover, key figures and next year's plan (docs/screenshots/folder-*.png).

    .venv/bin/python scripts/folder_screenshots.py [--out docs/screenshots] [--dpi 110]

Seeds the demo into a throwaway SQLite database under a temporary folder (migrated on start,
a few minutes), renders the customer's folder of last year's held review of the biggest
demo key account in German, exactly as the worker does, and draws three of its pages with
pdfium (pypdfium2, a development dependency).
"""

import argparse
import io
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["KAM_DATA_DIR"] = tempfile.mkdtemp(prefix="kam-folder-screenshots-")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
os.environ.setdefault("SECRET_KEY", "screenshots-only-secret-key")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("KAM_HTTPS", "0")

import django  # noqa: E402

django.setup()

import pypdfium2  # noqa: E402
from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from reviews import pdf  # noqa: E402
from reviews.demo import _biggest_key_account  # noqa: E402
from reviews.models import AnnualReview  # noqa: E402

# The page of each screenshot: the first page after the contents with a line that is this
# heading (the agenda's "Kennzahlen und Marktentwicklung" is not the key figures).
PAGES = {"key-figures": "Kennzahlen", "plan": "Unser Plan für das nächste Jahr"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    account = _biggest_key_account()
    review = (
        AnnualReview.objects.filter(account=account, status=AnnualReview.Status.HELD)
        .order_by("-year")
        .first()
    )
    if review is None:
        sys.exit("The demo has no held review of its biggest key account.")
    content, pages = pdf.render_folder_pdf(review, internal=False, language="de")
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    chosen = {"cover": 0}
    for name, heading in PAGES.items():
        chosen[name] = next(
            number
            for number, text in enumerate(texts)
            if number > 1 and heading in (line.strip() for line in text.splitlines())
        )
    document = pypdfium2.PdfDocument(content)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, number in chosen.items():
        page = document[number]
        image = page.render(scale=args.dpi / 72).to_pil()
        page.close()
        target = out / f"folder-{name}.png"
        image.save(target, optimize=True)
        print(f"{target}: page {number + 1} of {pages}")
    document.close()


if __name__ == "__main__":
    main()
