def seed_accounts(users) -> int:
    return 0
