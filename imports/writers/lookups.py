"""Finding the users, clients and people that a file's rows name."""

from __future__ import annotations

from django.db.models.functions import Lower

from accounts.models import User
from clients.models import Candidate, Client, Contact

from ..cells import normalise_name


def find_by_email(model: type[Candidate | Contact], email: str):
    """The record with this email whatever its case, through the unique index on
    lower(email) (email__iexact would read the whole table)."""
    return (
        model.objects.annotate(_email=Lower("email"))
        .filter(_email=email.lower())
        .exclude(email="")
        .first()
    )


class Users:
    """Owners and recruiters named in a file, by email or by full name."""

    def __init__(self) -> None:
        self.by_key: dict[str, User | None] = {}
        for user in User.objects.filter(is_active=True).order_by("pk"):
            self.by_key.setdefault(user.email.lower(), user)
            name = normalise_name(user.get_full_name())
            if name:
                # Two people of one name: neither can be meant by name alone.
                self.by_key[name] = None if name in self.by_key else user

    def find(self, text: str, label: str) -> User:
        user = self.by_key.get(text.strip().lower()) or self.by_key.get(
            normalise_name(text)
        )
        if user is None:
            raise ValueError(f"{label} '{text}' not found")
        return user


class Clients:
    """Clients named in a file, by name whatever its case or spacing."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    @staticmethod
    def key(name: str) -> str:
        return " ".join(name.split()).lower()

    def load(self, names: set[str]) -> None:
        missing = {self.key(n) for n in names} - set(self.ids)
        if missing:
            for pk, name in (
                Client.objects.annotate(_name=Lower("name"))
                .filter(_name__in=missing)
                .values_list("pk", "name")
            ):
                self.ids[self.key(name)] = pk

    def find(self, name: str) -> int:
        self.load({name})
        try:
            return self.ids[self.key(name)]
        except KeyError:
            raise ValueError(f"client '{name}' not found") from None
