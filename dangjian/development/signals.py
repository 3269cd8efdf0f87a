"""Signals the development app emits, each once the transaction commits.

- `step_completed.send(sender=StepRecord, record=r, actor=user)`: a step of a candidate was done;
- `candidate_admitted.send(sender=Candidate, candidate=c, profile=p)`: the superior committee approved the
  admission, the probationary member's record exists;
- `candidate_became_full_member.send(sender=Candidate, candidate=c, profile=p)`.
"""

from __future__ import annotations

from django.dispatch import Signal

step_completed = Signal()
candidate_admitted = Signal()
candidate_became_full_member = Signal()
