"""The PDFs of folder versions live in real storage (a temporary MEDIA_ROOT) and leave it
with their version: when the version or its review is deleted, once that is committed; a
deletion that is rolled back keeps them."""

from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.services import team_member_set
from reviews import rendering, services
from reviews.models import AnnualReview, FolderVersion
from tests.conftest import client_for
from tests.reviews.helpers import render


def on_disk(version) -> bool:
    return bool(version.file) and Path(version.file.path).is_file()


@pytest.fixture
def rendered(review, kam, django_capture_on_commit_callbacks, media_root):
    first = render(review, kam, django_capture_on_commit_callbacks)
    second = render(review, kam, django_capture_on_commit_callbacks, internal=True)
    assert on_disk(first) and on_disk(second)
    assert str(media_root) in first.file.path  # the temporary MEDIA_ROOT, really written
    return first, second


def test_deleting_a_review_deletes_its_pdfs_after_the_commit(
    kam, review, rendered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.review_delete(actor=kam, review=review)
    assert all(on_disk(version) for version in rendered)  # not before the commit
    for callback in callbacks:
        callback()
    assert not any(on_disk(version) for version in rendered)
    assert not FolderVersion.objects.exists()


def test_deleting_a_version_deletes_only_its_pdf(
    kam, review, rendered, django_capture_on_commit_callbacks
):
    first, second = rendered
    with django_capture_on_commit_callbacks(execute=True):
        services.version_delete(actor=kam, version=first)
    assert not on_disk(first) and on_disk(second)
    assert list(review.versions.values_list("number", flat=True)) == [2]


def test_a_rolled_back_deletion_keeps_the_pdfs(
    kam, review, rendered, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.review_delete(actor=kam, review=review)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []  # nothing was scheduled for a commit that never came
    assert AnnualReview.objects.filter(pk=rendered[0].review_id).exists()
    assert all(on_disk(version) for version in rendered)


def test_a_review_deleted_before_its_render_ran_leaves_no_file(kam, review, media_root):
    version, _new = services.folder_request(actor=kam, review=review)  # queued, not run
    services.review_delete(actor=kam, review=review)
    assert rendering.render_version(version_id=version.pk) is None  # the task finds nothing to do
    assert not list(Path(media_root).rglob("*.pdf"))


def test_a_running_version_cannot_be_deleted(kam, kam_client, review):
    version, _new = services.folder_request(actor=kam, review=review)
    response = kam_client.post(
        reverse("reviews:version_delete", args=[review.pk, version.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "wird noch erstellt" in response["HX-Trigger"]  # a toast
    assert FolderVersion.objects.filter(pk=version.pk).exists()


def test_delete_buttons_on_the_page(
    kam_client, review, rendered, django_capture_on_commit_callbacks
):
    first, second = rendered
    with django_capture_on_commit_callbacks(execute=True):
        response = kam_client.post(
            reverse("reviews:version_delete", args=[review.pk, first.pk]), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert not on_disk(first) and on_disk(second)
    with django_capture_on_commit_callbacks(execute=True):
        response = kam_client.post(reverse("reviews:delete", args=[review.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("reviews:list")
    assert not on_disk(second)
    assert not AnnualReview.objects.exists()


def test_outsider_and_reader_cannot_delete(
    outsider_client, sales_rep, review, rendered, django_capture_on_commit_callbacks
):
    team_member_set(
        actor=review.account.owner, account=review.account, user=sales_rep, role="sales_rep",
        can_edit=False,
    )  # fmt: skip
    first, _second = rendered
    with django_capture_on_commit_callbacks(execute=True):
        assert outsider_client.post(reverse("reviews:delete", args=[review.pk])).status_code == 404
        reader = client_for(sales_rep)
        assert reader.post(reverse("reviews:delete", args=[review.pk])).status_code == 403
        url = reverse("reviews:version_delete", args=[review.pk, first.pk])
        assert reader.post(url).status_code == 403
    assert review.versions.count() == 2
    assert on_disk(first)
