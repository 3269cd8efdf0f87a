"""Background work of the forum: none yet (notifications are sent by core.notifications on commit)."""
