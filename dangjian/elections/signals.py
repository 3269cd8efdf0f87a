"""Signals the elections app emits, each once the transaction commits.

- `election_completed.send(sender=Election, election=e, actor=user)`: the superior approved the result;
  the organisation's new committee and term are written.
"""

from __future__ import annotations

from django.dispatch import Signal

election_completed = Signal()
