"""German texts: plural forms, translated sort labels, and "Sie" throughout, including the
messages of Django and the libraries we use (overridden in our catalogue)."""

import gettext as gettext_module
import glob
import re
from pathlib import Path

import django
import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext

from planning.account_plan.filters import AccountPlanFilter

DU = re.compile(
    r"(^|[.!?] )(Gib|Wähle|Verwende|Füge|Stelle|Lade|Prüfe|Sende|Nutze|Benutze|Überprüfe|"
    r"Versuche|Melde)\b|\b(du|Du|dein\w*|Dein\w*|dich|dir|Dir)\b"
)
SITE_PACKAGES = Path(django.__file__).parent.parent


def library_messages() -> list[str]:
    messages = set()
    for path in glob.glob(
        str(SITE_PACKAGES / "**/locale/de/LC_MESSAGES/django.mo"), recursive=True
    ):
        with open(path, "rb") as handle:
            catalog = gettext_module.GNUTranslations(handle)._catalog
        messages.update(key for key in catalog if isinstance(key, str) and key)
    return sorted(messages)


def test_library_messages_address_the_user_with_sie():
    with translation.override("de"):
        informal = [
            (msgid, gettext(msgid)) for msgid in library_messages() if DU.search(gettext(msgid))
        ]
    assert informal == []


def test_our_catalogue_addresses_the_user_with_sie():
    text = (Path(django.conf.settings.BASE_DIR) / "locale/de/LC_MESSAGES/django.po").read_text()
    informal = [m for m in re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, re.M) if DU.search(m)]
    assert informal == []


@pytest.mark.parametrize(("change", "expected"), [(1, "1 Punkt"), (12, "12 Punkte")])
def test_nps_change_has_a_plural_form(change, expected):
    template = Template(
        "{% load i18n %}{% blocktranslate count change=change %}up {{ change }} point"
        "{% plural %}up {{ change }} points{% endblocktranslate %}"
    )
    with translation.override("de"):
        text = template.render(Context({"change": change}))
    assert expected in text
    assert text != f"up {change} points"


def test_sort_label_updated_is_translated(db):
    with translation.override("de"):
        ordering = AccountPlanFilter().filters["ordering"]
        labels = [str(label) for _value, label in ordering.extra["choices"]]
    assert not any(label.startswith("Updated") for label in labels)
    assert any("Zuletzt geändert" in label for label in labels)
