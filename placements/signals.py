"""Domain signals of the placements app.

`placement_changed` is sent by the placement services inside their transaction, with
`placement`, `created` (bool) and `changes` (the set of field names that changed).
Apps above this one (follow-ups) listen to it; this app never calls up into them.
"""

from django.dispatch import Signal

placement_changed = Signal()
