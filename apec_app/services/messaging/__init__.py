"""Messages to applicants, the email outbox, card reminders."""
