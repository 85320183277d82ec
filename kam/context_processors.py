from django.conf import settings
from django.http import HttpRequest


def installation(request: HttpRequest) -> dict:
    return {"CURRENCY": settings.CURRENCY}
