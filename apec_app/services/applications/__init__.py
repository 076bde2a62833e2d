"""Filing applications: drafts, documents, addresses, payment, renewals, eligibility, the printable form."""
