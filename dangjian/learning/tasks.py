from celery import shared_task

from dangjian.learning.assignments import remind_due_assignments
from dangjian.learning.quizzes import expire_overdue_attempts


@shared_task(name="learning.remind_assignments")
def remind_assignments_task() -> int:
    """Daily: learners who have not completed an assigned course are reminded 7 days and 1 day before its
    deadline, each reminder once."""
    return remind_due_assignments()


@shared_task(name="learning.expire_attempts")
def expire_attempts_task() -> int:
    """Every 10 minutes: open quiz attempts past their time limit are closed as expired."""
    return expire_overdue_attempts()
