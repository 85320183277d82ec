"""The app's settings plus the floor view (benchmarks/floor.py) for benchmarks/run.py."""

from kam.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
