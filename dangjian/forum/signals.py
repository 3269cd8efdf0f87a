"""Signals the forum emits (DESIGN.md: another capability reacts by importing only this module). Each is
sent once the transaction commits.

- `topic_published.send(sender=Topic, topic=t)`: a topic became visible to everyone (posted clean, or a
  held one approved).
- `question_answered.send(sender=Topic, topic=t, reply=r)`: an instructor's reply was marked as the answer
  to a 问指导员 question (e.g. evaluation may count answered questions as a delivered service).
"""

from __future__ import annotations

from django.dispatch import Signal

topic_published = Signal()
question_answered = Signal()
