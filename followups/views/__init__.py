"""The follow-up engine's pages, one module per concern: the recruiter's day
(`today`), acting on follow-ups (`actions`), the record pages that show what
follow-ups add to clients, people and placements (`records`), plans (`plans`),
links in emails (`email_links`), the profile with its digests (`profile`) and the
calendar feed (`calendar`)."""
