"""Reminders that a change settles are cleared at once, not only at the next scan.

A rule may say when its object is settled (a follow-up done, an issue resolved). The
services of the apps the rules read publish an event for every change of those objects;
`clear_settled`, subscribed to them in RemindersConfig.ready(), reads the object after
commit and clears its unread reminders of each rule it now settles.
"""

from collections import defaultdict

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from kam import events
from reminders.registry import rules
from reminders.services import reminders_clear

# Event -> (the model its id names, as the rules name it; the id's field).
SETTLING: dict[type[events.Event], tuple[str, str]] = {
    events.FollowUpChanged: ("activities.followup", "follow_up_id"),
    events.ContractChanged: ("contracts.contract", "contract_id"),
    events.IssueChanged: ("customer_care.customerissue", "issue_id"),
    events.OpportunityChanged: ("deals.opportunity", "opportunity_id"),
    events.AccountPlanChanged: ("planning.accountplan", "plan_id"),
    events.ObjectiveChanged: ("planning.objective", "objective_id"),
    events.ActionChanged: ("planning.action", "action_id"),
    events.ReviewChanged: ("reviews.annualreview", "review_id"),
}


def subscribe() -> None:
    """Subscribe `clear_settled` to the events of every model a rule can settle; a rule
    that can settle a model no event names is an error at start."""
    labels = {label for label, _field in SETTLING.values()}
    for rule in rules:
        if rule.settled and rule.model not in labels:
            raise ImproperlyConfigured(
                f"reminder rule {rule.key!r} settles {rule.model}, which no event in "
                "reminders.settled.SETTLING names"
            )
    settled_models = {rule.model for rule in rules if rule.settled}
    for event_type, (label, _field) in SETTLING.items():
        apps.get_model(label)  # a misspelt label fails here, not silently later
        if label in settled_models:
            events.subscribe(event_type, clear_settled, batch=True)


def clear_settled(published: list[events.Event]) -> None:
    """Once per committed transaction with all its changes (an import of a thousand
    deals reads them in one query per model and clears in one statement per rule set)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in published:
        label, field = SETTLING[type(event)]
        wanted[label].add(getattr(event, field))
    for label, ids in wanted.items():
        settled: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for instance in apps.get_model(label).objects.filter(pk__in=ids):
            keys = tuple(
                rule.key
                for rule in rules
                if rule.model == label and rule.settled is not None and rule.settled(instance)
            )
            if keys:
                settled[keys].append(instance.pk)
        for keys, object_ids in settled.items():
            reminders_clear(object_type=label, object_ids=object_ids, rule_keys=keys)
