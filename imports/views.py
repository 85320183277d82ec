"""The import wizard: upload, map the columns, see the dry run, confirm, follow the
progress and download the refused rows."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from imports import files, jobs, tasks
from imports.kinds import KINDS, kinds_for
from imports.models import ImportJob
from imports.reading import check_size
from kam.htmx import render_page
from kam.http import AuthedHttpRequest

RECENT = 20


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"))
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"), widget=forms.ClearableFileInput()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.key, kind.label) for kind in kinds_for(user)]


def _require_some_kind(request: AuthedHttpRequest) -> None:
    if not kinds_for(request.user):
        raise Http404


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    _require_some_kind(request)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size or 0)
            job = jobs.job_create(
                actor=request.user,
                kind_key=form.cleaned_data["kind"],
                file_name=upload.name or "",
                data=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        except PermissionDenied as exc:
            form.add_error("kind", str(exc))
        else:
            return redirect("imports:mapping", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "kinds": kinds_for(request.user),
        "jobs": ImportJob.objects.filter(user=request.user).defer("data", "report")[:RECENT],
        "nav": "imports",
    }
    return render_page(request, "imports/index.html", context, status=status)


@login_required
def mapping(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_for(request.user, pk)
    kind = jobs.kind_for(request.user, job.kind)
    errors: list[str] = []
    chosen = list(job.mapping)
    if request.method == "POST":
        chosen = [request.POST.get(f"column_{index}", "") for index in range(len(job.headings))]
        try:
            jobs.job_map(actor=request.user, job=job, mapping=chosen)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("imports:detail", pk=job.pk)
    table = tasks.job_table(job)
    samples = [cells for _number, cells in table.rows[:3]]
    headings = [
        {
            "index": index,
            "heading": heading,
            "chosen": chosen[index] if index < len(chosen) else "",
            "samples": [str(cells[index]) for cells in samples if index < len(cells)],
        }
        for index, heading in enumerate(job.headings)
    ]
    context = {"job": job, "kind": kind, "headings": headings, "errors": errors, "nav": "imports"}
    return render_page(request, "imports/mapping.html", context, status=400 if errors else 200)


SHOWN_OUTCOMES = 1000


def _detail_context(job: ImportJob) -> dict:
    # Unchanged rows are only counted; of the others the page lists the first thousand
    # (the refused rows are all in the download).
    listed = [outcome for outcome in job.report if outcome["outcome"] != "unchanged"]
    return {
        "job": job,
        "kind": KINDS[job.kind],
        "outcomes": listed[:SHOWN_OUTCOMES],
        "more_outcomes": max(0, len(listed) - SHOWN_OUTCOMES),
        "nav": "imports",
    }


@login_required
@never_cache
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_for(request.user, pk)
    return render_page(request, "imports/detail.html", _detail_context(job), partial="progress")


@login_required
@require_POST
def confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_for(request.user, pk)
    try:
        jobs.job_confirm(actor=request.user, job=job)
    except ValidationError as exc:
        context = {**_detail_context(job), "errors": exc.messages}
        return render_page(request, "imports/detail.html", context, status=400)
    return redirect("imports:detail", pk=job.pk)


@login_required
def refused_rows(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_for(request.user, pk)
    if job.status not in {ImportJob.Status.CHECKED, ImportJob.Status.DONE}:
        raise Http404
    response = HttpResponse(files.refused_rows_workbook(job), content_type=files.XLSX)
    name = _("refused-rows")
    response["Content-Disposition"] = f'attachment; filename="{name}-{job.pk}.xlsx"'
    return response


@login_required
def template(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    chosen = jobs.kind_for(request.user, kind) if kind in KINDS else None
    if chosen is None:
        raise Http404
    response = HttpResponse(files.template_workbook(chosen), content_type=files.XLSX)
    name = _("import-template")
    response["Content-Disposition"] = f'attachment; filename="{name}-{chosen.key}.xlsx"'
    return response
