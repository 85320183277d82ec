from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from users.services import api_token_authenticate


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with the named, hashed tokens of the profile page."""

    def authenticate_credentials(self, key):
        token = api_token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        # The language middleware ran before DRF knew the user: answer in their language.
        translation.activate(token.user.language)
        return token.user, token
