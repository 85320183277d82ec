from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from imports import services
from imports.kinds import KINDS
from imports.models import ImportJob
from imports.reading import Table, read_table


@shared_task(name="imports.tasks.run_job", acks_late=True, ignore_result=True)
def run_job(job_id: int, dry_run: bool) -> str:
    """The dry run or the import of one job; the job row holds progress and report."""
    job = run(job_id=job_id, dry_run=dry_run)
    return job.status if job else "deleted"


def job_table(job: ImportJob) -> Table:
    return read_table(bytes(job.data))


def run(*, job_id: int, dry_run: bool) -> ImportJob | None:
    """The dry run or the import of a job, with its progress and report stored on it."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return None
    expected = ImportJob.Status.CHECKING if dry_run else ImportJob.Status.QUEUED
    if job.status != expected:
        return job  # redelivered after it ran, or changed meanwhile: nothing to do
    if not dry_run:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done)

    with translation.override(job.user.language):
        try:
            report = services.import_table(
                kind=KINDS[job.kind],
                actor=job.user,
                table=job_table(job),
                mapping=list(job.mapping),
                dry_run=dry_run,
                progress=progress,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            job.status = ImportJob.Status.FAILED
            job.error = " ".join(messages)
            job.finished_at = timezone.now()
            job.save()
            return job
    job.report = [outcome.as_dict() for outcome in report.outcomes]
    job.counts = report.counts()
    job.done = job.total
    job.status = ImportJob.Status.CHECKED if dry_run else ImportJob.Status.DONE
    if not dry_run:
        job.finished_at = timezone.now()
    job.save()
    return job
