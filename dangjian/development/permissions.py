"""Rules of the development capability (`development.<action>`), built from the role predicates of accounts."""
