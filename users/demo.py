"""Demo users, one per role. Documented in the README; never use them in production."""

from users.models import Role, User

DEMO_PASSWORD = "demo-kam-2026"

DEMO_USERS = [
    ("admin", "Anna", "Admin", Role.ADMIN),
    ("leitung", "Lena", "Leitner", Role.HEAD_OF_SALES),
    ("kam", "Konrad", "Amsel", Role.KEY_ACCOUNT_MANAGER),
    ("kam2", "Katrin", "Meyer", Role.KEY_ACCOUNT_MANAGER),
    ("vertrieb", "Vera", "Triebel", Role.SALES_REP),
]


def seed_users() -> dict[str, User]:
    users = {}
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "email": f"{username}@example.com",
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    return users
