"""The person-matching benchmark: a seeded synthetic register and queries
(generator), our engine and Splink run on them (run, splink_anchor), and
the scorer (score). Figures: bench/README.md."""
