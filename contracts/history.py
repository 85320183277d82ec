"""A contract's history (kam.registry.history_kinds "contract")."""

from contracts.models import Contract
from kam.history import Source


def contract_sources(contract: Contract) -> list[Source]:
    return [Source(Contract, Contract.history.filter(id=contract.pk), key="contract")]
