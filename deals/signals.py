"""Signals other apps listen to: deals cannot import the apps built on them."""

from django.dispatch import Signal

# Sent inside the closing transaction when a deal is won or lost, with `opportunity` (after
# saving) and `actor`. planning.whitespace moves the deal's matrix cells along.
opportunity_closed = Signal()
