"""Writes on users and their API tokens."""

from typing import Unpack

from django.db import transaction
from django.utils import timezone

from users.fields import ProfileFields, check_profile_fields
from users.models import ApiToken, User, hash_token


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its key; the key cannot be recovered later."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API", prefix=key[:8], key_hash=hash_token(key)
    )
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> bool:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def api_token_authenticate(key: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        # Write at most once a minute: a busy integration must not turn reads into writes.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    **fields: Unpack[ProfileFields],
):
    """The user's own name, e-mail, interface language and reminder e-mail frequency (the
    profile page); a frequency left out stays as it was."""
    check_profile_fields(fields)
    user.first_name, user.last_name, user.email, user.language = (
        fields["first_name"],
        fields["last_name"],
        fields["email"],
        fields["language"],
    )
    digest_frequency = fields.get("digest_frequency")
    if digest_frequency is not None:
        user.digest_frequency = digest_frequency
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email", "language", "digest_frequency"])
    return user
