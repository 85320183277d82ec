"""The folder render's memory budget (FOLDER_RENDER_MEMORY_MB): past it the render stops
with a message the user can read, and the worker keeps its memory."""

import signal

import pytest
from django.conf import settings

from reviews import rendering, services
from tests.reviews.helpers import laying_out_the_folder


def test_the_budget_refuses_an_allocation_beyond_it_and_is_lifted_after():
    with pytest.raises(MemoryError), rendering.memory_budget(64):
        bytearray(512 * 1024 * 1024)
    assert len(bytearray(128 * 1024 * 1024)) == 128 * 1024 * 1024  # lifted again


def test_no_budget_means_no_limit():
    with rendering.memory_budget(0):
        assert len(bytearray(128 * 1024 * 1024)) == 128 * 1024 * 1024


def test_a_render_out_of_memory_fails_with_a_readable_message(review, kam):
    """The MemoryError raised inside the render, as an allocation past the budget does."""
    version, _new = services.folder_request(actor=kam, review=review)

    def out_of_memory(signum, frame):
        if laying_out_the_folder(frame):
            raise MemoryError()
        signal.setitimer(signal.ITIMER_REAL, 0.05)  # not laying out yet: a little later

    previous = signal.signal(signal.SIGALRM, out_of_memory)
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    try:
        failed = rendering.render_version(version_id=version.pk, task_id="task-1", memory_mb=512)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert failed.status == "failed"
    assert f"{settings.FOLDER_RENDER_MEMORY_MB} MB" in failed.error
    assert "MemoryError" not in failed.error
    assert not failed.file
    assert len(bytearray(128 * 1024 * 1024)) == 128 * 1024 * 1024  # the budget is lifted
