from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from imports import services
from imports.kinds import KINDS, suggest_mapping
from imports.reading import read_table
from users.models import User


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of one kind, as the given user (same rules as the wizard)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="user name of the importing user")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, kind, file, user, dry_run, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {user!r}.")
        chosen = KINDS[kind]
        with translation.override(actor.language):
            try:
                table = read_table(file.read_bytes())
                mapping = suggest_mapping(chosen, table.headings)
                report = services.import_table(
                    kind=chosen, actor=actor, table=table, mapping=mapping, dry_run=dry_run
                )
            except (ValidationError, PermissionDenied, OSError) as exc:
                raise CommandError(" ".join(getattr(exc, "messages", None) or [str(exc)])) from exc
            for outcome in report.refused:
                for column, message in outcome.errors:
                    where = f"{column}: " if column else ""
                    self.stderr.write(f"row {outcome.row} ({outcome.key}): {where}{message}")
        counts = report.counts()
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{counts['new']} new, {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['refused']} refused"
        )
