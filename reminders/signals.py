from reminders.registry import rules
from reminders.services import reminders_clear


def clear_settled(sender, instance, created: bool, **kwargs) -> None:
    """A saved object that a rule considers settled (follow-up done, issue resolved)
    clears its unread reminders of that rule at once, not only at the next scan."""
    if created:
        return
    label = sender._meta.label_lower
    keys = [rule.key for rule in rules if rule.model == label and rule.settled(instance)]
    if keys:
        reminders_clear(object_type=label, object_id=instance.pk, rule_keys=keys)
