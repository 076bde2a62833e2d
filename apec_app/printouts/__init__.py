"""Documents the system prints for people: the application form as a PDF."""
