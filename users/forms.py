from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from users.fields import ProfileFields, check_profile_fields
from users.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language", "digest_frequency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out (an older form, an API client), the choice stays as it was.
        self.fields["digest_frequency"].required = False

    def clean_digest_frequency(self) -> str:
        return self.cleaned_data["digest_frequency"] or self.instance.digest_frequency

    def service_fields(self) -> ProfileFields:
        check_profile_fields(self.cleaned_data)
        return cast(ProfileFields, dict(self.cleaned_data))


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “ERP revenue import”."),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
