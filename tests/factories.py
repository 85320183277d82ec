"""Factories for tests. Accounts and contacts are created through the services, so that
paths, validation and history are exactly what the app produces."""

import factory
from factory.django import DjangoModelFactory

from accounts import services
from accounts.models import Account, Contact
from users.models import Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.KEY_ACCOUNT_MANAGER
    language = "de"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


def make_account(*, owner: User, actor: User | None = None, **fields) -> Account:
    """An account as the owner (or actor) would create it on the page."""
    make_account.counter += 1
    fields.setdefault("name", f"Kunde {make_account.counter} GmbH")
    return services.account_create(actor=actor or owner, owner=owner, **fields)


make_account.counter = 0


def make_contact(*, account: Account, actor: User | None = None, **fields) -> Contact:
    make_contact.counter += 1
    fields.setdefault("last_name", f"Muster{make_contact.counter}")
    fields.setdefault("first_name", "Erika")
    return services.contact_create(actor=actor or account.owner, account=account, **fields)


make_contact.counter = 0
