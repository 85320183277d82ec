"""The wizard's steps on an ImportJob: upload, map, check (dry run), confirm, run.

Pages, the task and the command call these; the row work is imports.services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from imports import services, tasks
from imports.kinds import KINDS, Kind, suggest_mapping
from imports.models import ColumnMapping, ImportJob
from imports.reading import read_table
from kam import queue
from users.models import User


def kind_for(actor: User, key: str) -> Kind:
    kind = KINDS.get(key)
    if kind is None or not kind.allowed_for(actor):
        raise PermissionDenied(_("You may not import this kind of data."))
    return kind


def job_for(actor: User, pk: int) -> ImportJob:
    """One of the user's own imports; a 404 for anybody else's."""
    job = ImportJob.objects.filter(user=actor, pk=pk).first()
    if job is None:
        raise Http404
    return job


def remembered_mapping(actor: User, kind: Kind) -> dict[str, str]:
    saved = ColumnMapping.objects.filter(user=actor, kind=kind.key).first()
    return dict(saved.mapping) if saved else {}


def job_create(*, actor: User, kind_key: str, file_name: str, data: bytes) -> ImportJob:
    """Check the file (kind of content, size, encoding) and keep it with a suggested
    mapping of its headings; ValidationError for a file that cannot be read."""
    kind = kind_for(actor, kind_key)
    table = read_table(data)
    mapping = suggest_mapping(kind, table.headings, remembered_mapping(actor, kind))
    return ImportJob.objects.create(
        user=actor,
        kind=kind.key,
        file_name=file_name[:255],
        data=data,
        headings=table.headings,
        mapping=mapping,
        total=len(table.rows),
    )


@transaction.atomic
def job_map(*, actor: User, job: ImportJob, mapping: list[str]) -> ImportJob:
    """Set the mapping (one field or "" per heading), remember it for the user's next
    file, and start the dry run."""
    kind = kind_for(actor, job.kind)
    if len(mapping) != len(job.headings) or any(m and m not in kind.column_map for m in mapping):
        raise ValidationError(_("Choose a column for each heading, or none."))
    if job.is_busy or job.status == ImportJob.Status.DONE:
        raise ValidationError(_("This import has already started."))
    services.check_mapping(kind, mapping)
    saved, _created = ColumnMapping.objects.get_or_create(user=actor, kind=kind.key)
    saved.mapping = {
        **saved.mapping,
        **dict(zip(job.headings, mapping, strict=True)),
    }
    saved.save()
    job.mapping = mapping
    job.status = ImportJob.Status.CHECKING
    job.done = 0
    job.save()
    transaction.on_commit(lambda: _queue(job.pk, dry_run=True))
    return job


@transaction.atomic
def job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    kind_for(actor, job.kind)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.CHECKED:
        raise ValidationError(_("Check the file before you import it."))
    job.status = ImportJob.Status.QUEUED
    job.done = 0
    job.save()
    transaction.on_commit(lambda: _queue(job.pk, dry_run=False))
    return job


def _queue(job_id: int, *, dry_run: bool) -> None:
    """Hand the job to the task queue; when the broker cannot be reached the job says so
    (failed, to be checked again), rather than waiting for a task that never comes."""
    if not queue.send(tasks.run_job, job_id, dry_run):
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            error=_(
                "The task queue cannot be reached right now. Check the file again in a moment."
            ),
        )
