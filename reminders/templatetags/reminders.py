from django import template

from reminders.messages import reminder_message, rule_label

register = template.Library()

register.filter("reminder_message", reminder_message)
register.filter("rule_label", rule_label)
