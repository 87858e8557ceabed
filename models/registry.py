"""The services the workbook knows, in report order.

The comparison, back-tests, contract tests and benchmarks iterate over a :class:`Registry` and
name no service. :data:`SERVICES` is the default; a test adds one explicitly
(``SERVICES.with_service(mine)``), never by mutating it. Imports only service declarations,
which never reach :mod:`models.scenario`, so the scenario schema may import this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from models.catering.service import SERVICE as CATERING
from models.fleet.service import SERVICE as FLEET
from models.language.service import SERVICE as LANGUAGE
from models.recovery.service import SERVICE as RECOVERY
from models.service import Service

__all__ = ["SERVICES", "Registry"]


@dataclass(frozen=True)
class Registry:
    """An ordered, immutable set of services, looked up by name."""

    services: tuple[Service, ...]

    def __post_init__(self) -> None:
        names = [service.name for service in self.services]
        if len(set(names)) != len(names):
            raise ValueError(f"services named twice: {names}")

    def __iter__(self) -> Iterator[Service]:
        return iter(self.services)

    def __len__(self) -> int:
        return len(self.services)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __getitem__(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(f"no service {name!r} (services: {', '.join(self.names)})")

    @property
    def names(self) -> tuple[str, ...]:
        """The services' names, in order."""
        return tuple(service.name for service in self.services)

    def with_service(self, service: Service) -> Registry:
        """A new registry with ``service`` added at the end."""
        return Registry((*self.services, service))


SERVICES = Registry((RECOVERY, FLEET, CATERING, LANGUAGE))
"""The workbook's services."""
