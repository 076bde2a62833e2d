"""The reviewers' side: queues, actions, economy decisions, cards, statistics and waiting times."""
