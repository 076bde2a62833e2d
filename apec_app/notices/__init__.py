"""What people are told when something happens to their application: the texts of messages and emails.

Handlers of the events services publish (wired in apec_app/bootstrap.py). They live outside services because
they speak Chinese (ui_text); services only say what happened.
"""
