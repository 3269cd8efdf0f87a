"""Signals the feedback app emits (another capability, e.g. evaluation, reacts by importing only this
module; feedback never imports the listener). Each is sent once the transaction commits, with
`sender=Feedback, feedback=<Feedback>`.

- `feedback_submitted`: a submission was received (online or entered from paper).
- `feedback_replied`: the station replied.
- `feedback_closed`: closed (`feedback.resolution` is resolved or unresolved; a complaint's `validity` set).
- `feedback_rated`: the submitter rated the handling (`feedback.rating` 1–5).
- `feedback_reopened`: the submitter said it was not solved; it is handled again.
"""

from __future__ import annotations

from django.dispatch import Signal

feedback_submitted = Signal()
feedback_replied = Signal()
feedback_closed = Signal()
feedback_rated = Signal()
feedback_reopened = Signal()
