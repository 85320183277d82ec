import re
from typing import cast
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from users.models import User

# The empty choice of every select box: model forms (KamConfig.ready() makes it Django's
# BLANK_CHOICE_LABEL, used by model fields with choices and by ModelChoiceField) and the
# hand-built choice lists that need one.
EMPTY_CHOICE = _("– choose –")


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors in place, the rest on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class UserTypeahead(forms.TextInput):
    """A text box for one user, with suggestions loaded by htmx as the user types (from
    `url_name`, which answers `<option>`s for a `<datalist>`), instead of a `<select>`
    holding every user. The value is a username (or, from older links, a user id)."""

    template_name = "partials/user_typeahead.html"
    input_type = "search"

    def __init__(self, url_name: str, scope: str = "", attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.url_name = url_name
        self.scope = scope

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-options"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        query = urlencode({"field": name, "scope": self.scope} if self.scope else {"field": name})
        context["widget"]["options_url"] = f"{reverse(self.url_name)}?{query}"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (which sees only Django's own).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


def user_label(user: User) -> str:
    """How a user type-ahead shows a person: "Kerstin Adler (kadler)", the name first and
    the user name that tells two people of the same name apart."""
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


_LABELLED = re.compile(r"\(([^()]+)\)\s*$")


class UserField(forms.Field):
    """One active user, given as user_label() (what the suggestions offer), username or id:
    what UserTypeahead sends."""

    default_error_messages = {"invalid": _("No active user with this name.")}

    def prepare_value(self, value):
        # The box shows the person's name, not the bare user name or id.
        if isinstance(value, User):
            return user_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            user = User.objects.filter(pk=int(value)).first()
            return user_label(user) if user else value
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        if labelled := _LABELLED.search(value):
            value = labelled.group(1).strip()
        users = User.objects.filter(is_active=True)
        user = (
            users.filter(pk=int(value)).first()
            if value.isdigit()
            else users.filter(username=value).first()
        )
        if user is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return user


def choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field `name`, typed as the model choice field it is (to narrow its
    queryset or labels to the user's scope)."""
    return cast(forms.ModelChoiceField, form.fields[name])
