"""What an operator asks of a running deployment: is beat alive?"""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """The last time a periodic process showed it was alive (beat, through a tiny
    task every minute). `/readyz` fails when beat's is too old: a dead beat would
    otherwise mean silently no digests."""

    name = models.CharField(max_length=40, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
