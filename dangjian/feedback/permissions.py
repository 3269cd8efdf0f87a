"""Rules of the feedback capability (`feedback.<action>`), built from the role predicates of accounts."""
