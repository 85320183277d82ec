"""Who sees and who may change which account (accounts.access), across groups."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts import services
from accounts.access import (
    EDITABLE_ACCOUNTS,
    can_edit_account,
    editable_accounts,
    get_account_for,
    get_contact_for,
    get_editable_or_404,
    visible_accounts,
    visible_contacts,
)
from accounts.models import Account, Contact, TeamMembership
from tests.factories import UserFactory, make_account, make_contact
from users.models import Role


def visible_names(user) -> set[str]:
    return set(visible_accounts(user).values_list("name", flat=True))


def editable_names(user) -> set[str]:
    return set(editable_accounts(user).values_list("name", flat=True))


@pytest.fixture
def group(kam):
    """A group two levels deep, owned by `kam`:

    Konzern
    ├── Tochter Nord
    │   └── Enkel Nord
    └── Tochter Süd
    """
    root = make_account(owner=kam, name="Konzern")
    north = make_account(owner=kam, name="Tochter Nord", parent=root)
    grandchild = make_account(owner=kam, name="Enkel Nord", parent=north)
    south = make_account(owner=kam, name="Tochter Süd", parent=root)
    return {"root": root, "north": north, "grandchild": grandchild, "south": south}


@pytest.fixture
def foreign(other_kam):
    """Another KAM's group: nothing in it is `kam`'s business."""
    root = make_account(owner=other_kam, name="Fremdkonzern")
    make_account(owner=other_kam, name="Fremdtochter", parent=root)
    return root


ALL_NAMES = {"Konzern", "Tochter Nord", "Enkel Nord", "Tochter Süd", "Fremdkonzern", "Fremdtochter"}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HEAD_OF_SALES])
def test_admin_and_head_of_sales_see_and_change_every_account(role, group, foreign):
    user = UserFactory(role=role)
    assert visible_names(user) == ALL_NAMES
    assert editable_names(user) == ALL_NAMES
    assert can_edit_account(user, foreign)


def test_superuser_without_role_sees_everything(group, foreign):
    user = UserFactory(role=Role.SALES_REP, is_superuser=True)
    assert visible_names(user) == ALL_NAMES


def test_group_owner_sees_the_whole_group_at_any_depth_but_not_other_groups(kam, group, foreign):
    assert visible_names(kam) == {"Konzern", "Tochter Nord", "Enkel Nord", "Tochter Süd"}
    with pytest.raises(Http404):
        get_account_for(kam, foreign.pk)


def test_owner_of_a_subsidiary_sees_it_and_below_but_not_parent_or_siblings(kam, other_kam, group):
    services.account_update(actor=kam, account=group["north"], owner=other_kam)
    assert visible_names(other_kam) == {"Tochter Nord", "Enkel Nord"}
    for hidden in ("root", "south"):
        with pytest.raises(Http404):
            get_account_for(other_kam, group[hidden].pk)


def test_team_member_of_a_subsidiary_sees_it_and_below_only(kam, sales_rep, group):
    services.team_member_set(
        actor=kam, account=group["north"], user=sales_rep, role="sales_rep", can_edit=False
    )
    assert visible_names(sales_rep) == {"Tochter Nord", "Enkel Nord"}


def test_team_member_of_the_group_sees_every_subsidiary(kam, sales_rep, group, foreign):
    services.team_member_set(
        actor=kam, account=group["root"], user=sales_rep, role="sales_rep", can_edit=False
    )
    assert visible_names(sales_rep) == {"Konzern", "Tochter Nord", "Enkel Nord", "Tochter Süd"}


def test_sales_rep_on_no_team_sees_nothing(outsider, group, foreign):
    assert visible_names(outsider) == set()
    assert not visible_contacts(outsider).exists()
    with pytest.raises(Http404):
        get_account_for(outsider, group["root"].pk)


def test_inactive_user_sees_nothing_even_of_own_accounts(kam, group):
    kam.is_active = False
    kam.save()
    assert visible_names(kam) == set()


def test_contacts_are_visible_with_their_account_only(kam, other_kam, group, foreign, outsider):
    mine = make_contact(account=group["grandchild"], last_name="Sichtbar")
    theirs = make_contact(account=foreign, last_name="Verborgen")
    assert set(visible_contacts(kam)) == {mine}
    assert get_contact_for(kam, mine.pk) == mine
    with pytest.raises(Http404):
        get_contact_for(kam, theirs.pk)
    with pytest.raises(Http404):
        get_contact_for(outsider, mine.pk)


def test_owner_may_edit_own_account_and_every_subsidiary(kam, group):
    assert editable_names(kam) == {"Konzern", "Tochter Nord", "Enkel Nord", "Tochter Süd"}


def test_team_member_with_may_edit_can_edit_the_account_and_below(kam, sales_rep, group):
    services.team_member_set(
        actor=kam, account=group["north"], user=sales_rep, role="sales_rep", can_edit=True
    )
    assert editable_names(sales_rep) == {"Tochter Nord", "Enkel Nord"}
    assert not can_edit_account(sales_rep, group["root"])
    # And the services let them write.
    services.figures_put(actor=sales_rep, account=group["grandchild"], year=2025, revenue=10)


def test_team_member_without_may_edit_sees_but_cannot_change(kam, sales_rep, group):
    services.team_member_set(
        actor=kam, account=group["root"], user=sales_rep, role="sales_rep", can_edit=False
    )
    assert editable_names(sales_rep) == set()
    assert not can_edit_account(sales_rep, group["north"])
    with pytest.raises(PermissionDenied):
        services.account_update(actor=sales_rep, account=group["root"], name="Umbenannt")
    with pytest.raises(PermissionDenied):
        services.figures_put(actor=sales_rep, account=group["south"], year=2025, revenue=1)
    with pytest.raises(PermissionDenied):
        make_contact(account=group["south"], actor=sales_rep)
    assert Account.objects.get(pk=group["root"].pk).name == "Konzern"


def test_may_edit_on_one_account_does_not_spill_to_another_team(kam, sales_rep, group):
    """One membership with "may edit" and another without: only the first is editable."""
    services.team_member_set(
        actor=kam, account=group["north"], user=sales_rep, role="sales_rep", can_edit=False
    )
    services.team_member_set(
        actor=kam, account=group["south"], user=sales_rep, role="sales_rep", can_edit=True
    )
    assert visible_names(sales_rep) == {"Tochter Nord", "Enkel Nord", "Tochter Süd"}
    assert editable_names(sales_rep) == {"Tochter Süd"}


def test_moving_a_subsidiary_to_another_group_moves_its_visibility(
    kam, other_kam, head_of_sales, group, foreign
):
    services.account_update(actor=head_of_sales, account=group["north"], parent=foreign)

    north = Account.objects.get(pk=group["north"].pk)
    grandchild = Account.objects.get(pk=group["grandchild"].pk)
    assert north.path == f"/{foreign.pk}/{north.pk}/"
    assert grandchild.path == f"/{foreign.pk}/{north.pk}/{grandchild.pk}/"
    # The KAM still owns both, so sees them; the old group no longer contains them.
    assert {a.name for a in Account.objects.filter(path__startswith=group["root"].path)} == {
        "Konzern",
        "Tochter Süd",
    }
    # The other group's owner now sees the whole moved subtree.
    assert {"Tochter Nord", "Enkel Nord"} <= visible_names(other_kam)
    assert can_edit_account(other_kam, grandchild)


def test_moving_a_subsidiary_away_hides_it_from_the_old_group_owner(
    kam, other_kam, head_of_sales, group, foreign
):
    # The subsidiary and its grandchild have their own owner: the group owner sees them
    # only because they belong to the group.
    services.account_update(actor=kam, account=group["north"], owner=head_of_sales)
    services.account_update(actor=kam, account=group["grandchild"], owner=head_of_sales)
    assert {"Tochter Nord", "Enkel Nord"} <= visible_names(kam)

    services.account_update(actor=head_of_sales, account=group["north"], parent=foreign)

    assert visible_names(kam) == {"Konzern", "Tochter Süd"}
    assert {"Tochter Nord", "Enkel Nord"} <= visible_names(other_kam)


def test_moving_to_top_level_makes_the_account_its_own_group(kam, other_kam, group):
    services.account_update(actor=kam, account=group["north"], owner=other_kam)
    services.account_update(actor=kam, account=group["north"], parent=None)
    north = Account.objects.get(pk=group["north"].pk)
    grandchild = Account.objects.get(pk=group["grandchild"].pk)
    assert north.path == f"/{north.pk}/"
    assert grandchild.path == f"/{north.pk}/{grandchild.pk}/"
    assert grandchild.root_id == north.pk
    # The old group owner still owns the grandchild, but not "Tochter Nord" any more.
    assert "Tochter Nord" not in visible_names(kam)


def test_cannot_move_an_account_under_a_group_one_cannot_see(kam, group, foreign):
    with pytest.raises(ValidationError) as error:
        services.account_update(actor=kam, account=group["north"], parent=foreign)
    assert "parent" in error.value.message_dict
    assert Account.objects.get(pk=group["north"].pk).parent_id == group["root"].pk


def test_cannot_add_a_subsidiary_to_a_group_one_may_only_read(kam, sales_rep, group):
    services.team_member_set(
        actor=kam, account=group["root"], user=sales_rep, role="sales_rep", can_edit=False
    )
    with pytest.raises(PermissionDenied):
        services.account_create(actor=sales_rep, owner=kam, name="Neu", parent=group["root"])
    assert not Account.objects.filter(name="Neu").exists()


def test_cannot_move_own_account_into_a_group_one_may_only_read(kam, other_kam, foreign):
    services.team_member_set(
        actor=other_kam, account=foreign, user=kam, role="sales_rep", can_edit=False
    )
    mine = make_account(owner=kam, name="Eigenständig")
    with pytest.raises(PermissionDenied):
        services.account_update(actor=kam, account=mine, parent=foreign)
    assert Account.objects.get(pk=mine.pk).parent_id is None


# --- the edit guard of pages and API ------------------------------------------------------


def test_get_editable_or_404_answers_an_editor_a_reader_and_an_outsider(
    kam, sales_rep, other_kam, group
):
    north = group["north"]
    services.team_member_set(
        actor=kam, account=north, user=sales_rep, role=TeamMembership.TeamRole.SALES_REP,
        can_edit=False,
    )  # fmt: skip
    assert get_editable_or_404(kam, EDITABLE_ACCOUNTS, north.pk) == north
    with pytest.raises(PermissionDenied):  # sees it, may not change it
        get_editable_or_404(sales_rep, EDITABLE_ACCOUNTS, north.pk)
    with pytest.raises(Http404):  # no hint it exists
        get_editable_or_404(other_kam, EDITABLE_ACCOUNTS, north.pk)


def test_get_editable_or_404_scopes_records_of_an_account(kam, other_kam, group):
    contact = make_contact(account=group["south"], first_name="Eva", last_name="Lang")
    assert get_editable_or_404(kam, Contact.objects.all(), contact.pk) == contact
    with pytest.raises(Http404):
        get_editable_or_404(other_kam, Contact.objects.all(), contact.pk)
    with pytest.raises(Http404):
        get_editable_or_404(kam, Contact.objects.all(), contact.pk + 1000)
