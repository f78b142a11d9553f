"""Plain-text email through Django's email framework (the ``NEEDLERX_EMAIL_*`` settings).

Every email NeedleRx sends from a page (an invitation, a link to a patient, a confirmation) goes
through ``email_sent``: a mail server that is down or refuses the message must not fail the page
after the record was written, so the caller learns it and says so (and shows the link instead).
"""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


def email_sent(*, subject: str, body: str, to: str) -> bool:
    """Send one plain-text email to ``to``; False when the mail server could not be reached or
    refused it (logged without the address or the text)."""
    return message_sent(EmailMessage(subject=subject, body=body, to=[to]))


def message_sent(message: EmailMessage) -> bool:
    """Send a prepared email (one with an attachment, say); False as for ``email_sent``."""
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("an email could not be sent: %s", type(error).__name__)
        return False
    return True
