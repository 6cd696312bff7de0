"""Running as a service: one writer per database (the lease)."""

from bot.service.lease import Lease, LeaseHeldError, LeaseLostError, describe

__all__ = ["Lease", "LeaseHeldError", "LeaseLostError", "describe"]
