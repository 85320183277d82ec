def seed(users) -> int:
    """Demo records of this part of the planning app; returns how many were created."""
    return 0
