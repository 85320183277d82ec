"""Demo accounts for `manage.py seed_demo`: a fictional customer portfolio to click through.

Every company, person, domain and number here is invented. The data is planned first, with
a fixed random seed and no database access (`demo_plan`), so it is the same on every run;
then it is written through the account services, so paths, validation and history are
exactly what the app itself produces.

Running the seed again creates nothing new: demo accounts are keyed by their external ID
("DEMO-001"), and an account that already exists is left alone together with everything
that hangs off it.

The package is split by what it builds: `companies` (the accounts and their stories),
`contacts` (the buying centers), `figures` (yearly revenue and margin), `profiles` (the
profile texts), `plans` (the shape of the plan) and `seed` (the plan assembled, then
written).
"""

from accounts.demo.companies import (
    DOMINANT_ACCOUNT,
    KEY_PLAYER_LEFT_ACCOUNT,
    NO_DECISION_MAKER_ACCOUNT,
    PRODUCT_LINES,
)
from accounts.demo.seed import demo_plan, seed_accounts

__all__ = [
    "DOMINANT_ACCOUNT",
    "KEY_PLAYER_LEFT_ACCOUNT",
    "NO_DECISION_MAKER_ACCOUNT",
    "PRODUCT_LINES",
    "demo_plan",
    "seed_accounts",
]
