"""The page shell: security headers, error pages, static files, messages."""

import pytest
from django.urls import reverse


def test_every_page_carries_a_csp_without_unsafe_inline(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "<script>" not in response.text  # no inline script blocks


def test_unknown_page_is_a_translated_404(client, db):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text


def test_unknown_api_url_is_json_404(client, db):
    response = client.get("/api/v1/gibt-es-nicht/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_pages_require_sign_in(client, db):
    response = client.get(reverse("accounts:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_static_files_are_served_by_whitenoise(client, db):
    from django.templatetags.static import static

    response = client.get(static("vendor/htmx/htmx-2.0.11.min.js"))
    assert response.status_code == 200


def test_shell_has_navigation_user_menu_and_language_switch(kam_client):
    response = kam_client.get(reverse("accounts:list"))
    text = response.text
    assert 'href="/accounts/"' in text
    assert "Abmelden" in text
    assert 'data-testid="language-en"' in text
    assert 'hx-headers=\'{"X-CSRFToken"' in text


def test_htmx_request_gets_messages_as_toast_trigger(kam_client, account):
    response = kam_client.post(
        reverse("accounts:profile_section", args=[account.pk, "strategy"]),
        {"text": "Wachstum in Osteuropa"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "kam:toasts" in response["HX-Trigger"]
    assert "Profil wurde gespeichert" in response["HX-Trigger"].encode().decode("unicode_escape")


@pytest.mark.parametrize("code", [403, 404, 500])
def test_error_templates_render_in_german(code, rf, db):
    from django.template.loader import render_to_string

    html = render_to_string(f"{code}.html", request=rf.get("/"))
    assert {403: "Nicht erlaubt", 404: "Seite nicht gefunden", 500: "Serverfehler"}[code] in html
