import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def user(db):
    return UserFactory(username="erika")


@pytest.mark.parametrize("accept", [None, "de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.9"])
def test_sign_in_page_is_german_unless_the_browser_prefers_english(client, db, accept):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get(reverse("login"), **headers)
    assert response.status_code == 200
    assert "Anmelden" in response.text
    assert 'lang="de"' in response.text


def test_sign_in_page_follows_a_browser_that_prefers_english(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9,de;q=0.5")
    assert 'lang="en"' in response.text
    assert "Sign in" in response.text
    assert "Anmelden" not in response.text
    assert "Accept-Language" in response.headers["Vary"]


def test_sign_in_page_has_its_own_language_switch(client, db):
    """The switch sits in the sign-in form's page, for people who are not signed in."""
    response = client.get(reverse("login"))
    assert 'data-testid="login-language-en"' in response.text
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/login/"}, follow=True
    )
    assert "Sign in" in response.text
    assert 'data-testid="login-language-de"' in response.text


def test_the_switch_wins_over_the_browser(client, db):
    client.post(reverse("set_language"), {"language": "de", "next": "/login/"})
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert 'lang="de"' in response.text


def test_signed_in_user_keeps_the_profile_language_whatever_the_browser(client, user):
    client.force_login(user)
    response = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert 'lang="de"' in response.text


def test_sign_in_page_in_english_after_switching(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    response = client.get(reverse("login"))
    assert "Sign in" in response.text
    assert 'lang="en"' in response.text


def test_language_choice_is_remembered_on_the_user(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/profile/"})
    user.refresh_from_db()
    assert user.language == "en"
    # A new browser (no cookie) still gets English once the user signs in.
    other = type(client)()
    other.force_login(user)
    assert "Profile" in other.get(reverse("profile")).text


def test_language_switch_refuses_foreign_redirect(client, db):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_gives_translated_error_that_reveals_nothing(client, user):
    response = client.post(reverse("login"), {"username": "erika", "password": "wrong"})
    assert response.status_code == 200
    assert "Bitte Benutzername und Passwort eingeben" in response.text
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    # Same message for an unknown user name: nothing tells which part was wrong.
    assert "Bitte Benutzername und Passwort eingeben" in unknown.text


def test_correct_password_signs_in_and_out(client, user):
    response = client.post(reverse("login"), {"username": "erika", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("profile")).status_code == 302


def test_repeated_failures_lock_the_user_name_with_a_clear_message(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "erika", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "erika", "password": PASSWORD})
    assert response.status_code == 429
    assert "Anmeldung pausiert" in response.text
    assert client.get(reverse("profile")).status_code == 302


def test_password_reset_mails_a_working_link(client, user):
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Neues-Passwort-2026", "new_password2": "Neues-Passwort-2026"}
    )
    assert response.status_code == 302
    signed_in = client.post(
        reverse("login"), {"username": "erika", "password": "Neues-Passwort-2026"}
    )
    assert signed_in.status_code == 302


def test_password_reset_for_unknown_address_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_change_password(client, user):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Anderes-2026-pw",
            "new_password2": "Anderes-2026-pw",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Anderes-2026-pw")


def test_profile_saves_name_and_language(client, user):
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {
            "first_name": "Erika",
            "last_name": "Mustermann",
            "email": "e@example.com",
            "language": "en",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.last_name, user.language) == ("Mustermann", "en")


def test_token_is_shown_once_and_only_its_hash_is_stored(client, user):
    client.force_login(user)
    response = client.post(reverse("token_create"), {"name": "ERP"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    token = user.api_tokens.get()
    assert token.name == "ERP"
    key = response.text.split('class="token-key">')[1].split("<")[0]
    assert key.startswith(token.prefix)
    assert key not in token.key_hash
    again = client.get(reverse("profile"))
    assert key not in again.text


def test_token_without_name_is_refused_in_place(client, user):
    client.force_login(user)
    response = client.post(reverse("token_create"), {"name": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Dieses Feld ist zwingend erforderlich" in response.text
    assert not user.api_tokens.exists()


def test_user_cannot_revoke_another_users_token(client, user):
    from users.services import api_token_create

    victim = UserFactory()
    token, _key = api_token_create(user=victim, name="ERP")
    client.force_login(user)
    response = client.post(reverse("token_revoke", args=[token.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    assert victim.api_tokens.filter(pk=token.pk).exists()


def test_create_api_token_command_prints_a_working_key(user, client):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("create_api_token", "erika", "--name", "BI", stdout=out)
    key = out.getvalue().strip()
    response = client.get("/api/v1/accounts/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "erika", "password": "x"}, **attacker)
    locked = client.post(reverse("login"), {"username": "erika", "password": PASSWORD}, **attacker)
    assert locked.status_code == 429
    owner = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "REMOTE_ADDR": "10.0.0.2"}
    response = type(client)().post(
        reverse("login"), {"username": "erika", "password": PASSWORD}, **owner
    )
    assert response.status_code == 302
