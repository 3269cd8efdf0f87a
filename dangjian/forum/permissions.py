"""Rules of the forum capability (`forum.<action>`), built from the role predicates of accounts."""
