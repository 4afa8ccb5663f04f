"""Organisations, accounts and access journeys: the services behind the site and admin views.

Views stay thin: they call these functions, which check who may, change the database in one
transaction, send the e-mails and write the audit log. Errors are `AccountError` (bad input,
400) or `core.services.NotAllowed` (403), both with a Dutch message safe to show.
"""


class AccountError(Exception):
    """The request cannot be carried out as asked; the message is Dutch and safe to show."""
