"""The floor: the least a page of N rows of a table can cost here. One query (the first N
rows of the table by id, up to eight columns), a plain HTML table rendered by the Django
template engine, the whole middleware stack, no sign-in and no layout. benchmarks/run.py
times it in the same run as each case, with the same table and number of rows, and prints
each case's ratio to it."""

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.template import engines

PAGE = engines["django"].from_string(
    "<!DOCTYPE html><html><head><title>{{ label }}</title></head><body><table>"
    "{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>"
    "{% endfor %}</table></body></html>"
)


def floor(request: HttpRequest, label: str, rows: int) -> HttpResponse:
    model = apps.get_model(label)
    columns = [f.attname for f in model._meta.concrete_fields][:8]
    data = model.objects.order_by("pk").values_list(*columns)[:rows]
    return HttpResponse(PAGE.render({"label": label, "rows": data}))
