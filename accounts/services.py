from __future__ import annotations

from .models import User, new_calendar_token


def reset_calendar_token(*, user: User) -> str:
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
