"""Reminders: one row per rule, object, due date and recipient, shown in the app and sent
in the e-mail digest."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from customer_care.models import Department

USER = settings.AUTH_USER_MODEL


class ReminderQuerySet(models.QuerySet):
    def unread(self) -> "ReminderQuerySet":
        """Still asking for attention: neither read nor settled (the follow-up done, ...)."""
        return self.filter(read_at__isnull=True, cleared_at__isnull=True)

    def awake(self, today) -> "ReminderQuerySet":
        """Unread and not snoozed beyond `today`: what the bell counts and the digest sends."""
        return self.unread().exclude(snoozed_until__gt=today)


class Digest(models.Model):
    """One e-mail to one user for one period ("2026-11-27" daily, "2026-W48" weekly). The
    row is committed, with its reminders, before the e-mail is sent, and `sent_at` after:
    a worker killed in between leaves `sent_at` empty and the digest is never sent twice."""

    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="digests")
    period = models.CharField(_("period"), max_length=20)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder e-mail")
        verbose_name_plural = _("reminder e-mails")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "period"], name="one_digest_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.period}"


class Reminder(models.Model):
    rule = models.CharField(_("rule"), max_length=40)
    # The object reminded of, as "app_label.model" and primary key.
    object_type = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField(_("due on"))
    # No index of its own: the two indexes below lead with it.
    recipient = models.ForeignKey(
        USER,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
        db_index=False,
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    subject = models.CharField(_("subject"), max_length=250)
    # Values for the rule's message (dates as ISO strings), so that it is worded in the
    # reader's language when shown or mailed, not in the language of the scan.
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("settled"), null=True, blank=True)
    # Snoozed: out of the bell, the unread list and the digest until this day (it comes
    # back on it).
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    digest = models.ForeignKey(
        Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders"
    )

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-due_on", "-pk"]
        constraints = [
            # The stable key: a rerun, a second beat or a retried task cannot double it.
            models.UniqueConstraint(
                fields=["rule", "object_type", "object_id", "due_on", "recipient"],
                name="one_reminder_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "cleared_at"], name="reminder_unread"),
            models.Index(fields=["object_type", "object_id"], name="reminder_object"),
            models.Index(fields=["recipient", "-due_on", "-id"], name="reminder_list"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.subject}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None and self.cleared_at is None

    @property
    def is_snoozed(self) -> bool:
        return (
            self.is_unread
            and self.snoozed_until is not None
            and self.snoozed_until > timezone.localdate()
        )


class DepartmentLead(models.Model):
    """Who leads an internal department: overdue customer issues are escalated to them."""

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    lead = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("lead")
    )

    class Meta:
        verbose_name = _("department lead")
        verbose_name_plural = _("department leads")
        ordering = ["department__position", "department__name"]

    def __str__(self) -> str:
        return f"{self.department}: {self.lead}"


class Announcement(models.Model):
    """A reminder scan's item announced as a domain event (a contract's notice stage):
    one row per rule, object and date, so a later scan does not announce it again."""

    rule = models.CharField(max_length=50)
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_id", "due_on"], name="reminder_announced_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.object_id} {self.due_on}"
