"""Read models of the applicant's pages: plain data a page shows, gathered in as few queries as the page needs.
They sit above the business areas (they combine applications, review and follow-ups) and change nothing."""
