"""One module per page or page group; routes are registered in apec_app/apec_app.py."""
