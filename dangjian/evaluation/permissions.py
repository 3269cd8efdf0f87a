"""Rules of the evaluation capability (`evaluation.<action>`), built from the role predicates of accounts."""
