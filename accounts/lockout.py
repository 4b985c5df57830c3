"""What django-axes counts failed sign-ins against (settings.AXES_USERNAME_CALLABLE)."""

from __future__ import annotations


def username_of(request, credentials: dict | None) -> str:
    """The email typed, in one case: sign-in ignores the case of the email, so
    "Alice@…" and "alice@…" are one account to lock, whether it exists or not."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()
