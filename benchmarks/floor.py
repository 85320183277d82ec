"""The floor: the least a page of N rows of a table can cost here. One query (the first N
rows of the table by id, up to eight columns), a plain HTML table rendered by the Django
template engine, the whole middleware stack, no sign-in and no layout. benchmarks/run.py
times it in the same run as each case, with the same table and number of rows, and prints
each case's ratio to it.

The shell: the same rows inside the product's own layout (`base.html`, with its
middleware, context processors and the signed-in user of the case): what any page of the
product costs before its own work. A case's own cost is its ratio to its shell."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines

PAGE = engines["django"].from_string(
    "<!DOCTYPE html><html><head><title>{{ label }}</title></head><body><table>"
    "{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>"
    "{% endfor %}</table></body></html>"
)


def floor(request: HttpRequest, label: str, rows: int) -> HttpResponse:
    return HttpResponse(PAGE.render({"label": label, "rows": _rows(label, rows)}))


SHELL = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}{{ label }}{% endblock %}{% block content %}'
    "<table>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}"
    "</tr>{% endfor %}</table>{% endblock %}"
)


def _rows(label: str, rows: int):
    model = apps.get_model(label)
    columns = [f.attname for f in model._meta.concrete_fields][:8]
    return model.objects.order_by("pk").values_list(*columns)[:rows]


@login_required
def shell(request: HttpRequest, label: str, rows: int) -> HttpResponse:
    return HttpResponse(SHELL.render({"label": label, "rows": _rows(label, rows)}, request))
