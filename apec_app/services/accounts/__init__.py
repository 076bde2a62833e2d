"""Enterprise accounts, agents, staff, sign-in and sessions, one-time codes, the e-licence platform."""
