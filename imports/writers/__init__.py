"""How rows of each kind become records; WRITERS names the writer of each kind.

A writer finds the record a row is about (by email, else by normalised name plus
company), updates it or creates one, and says in words what is wrong with a row that
cannot be written. Writers run inside the import's transaction (see
services.import_job_run) and see what earlier rows of the same file wrote. Clients,
contacts and candidates are written a chunk at a time (one query to find, one to
insert, one to update: bulk.py); placements a row at a time through the placement
services, so that each gets its follow-up plan exactly as one recorded by hand
(placements.py).
"""

from __future__ import annotations

from .base import Writer
from .bulk import CandidateWriter, ClientWriter, ContactWriter
from .placements import PlacementWriter

WRITERS: dict[str, type[Writer]] = {
    "clients": ClientWriter,
    "contacts": ContactWriter,
    "candidates": CandidateWriter,
    "placements": PlacementWriter,
}
