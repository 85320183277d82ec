from django import template

from reminders.messages import reminder_date, reminder_deadline, reminder_message, rule_label

register = template.Library()

register.filter("reminder_message", reminder_message)
register.filter("rule_label", rule_label)
register.filter("reminder_date", reminder_date)
register.filter("reminder_deadline", reminder_deadline)
