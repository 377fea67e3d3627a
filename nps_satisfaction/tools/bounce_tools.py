"""Reading a bounce: whether a delivery status notification (RFC 3464)
reports that a mail failed for good, or only that it is delayed."""


def is_permanent_bounce(email_message):
    """Whether the bounce ``email_message`` (an ``email.message.Message``)
    says that the mail could not be delivered and will not be: one of its
    recipients reports ``Action: failed`` or a ``5.x.x`` status. A notice
    of a delay (``Action: delayed``, ``4.x.x``: the mail server still tries)
    or of a delivery is not. A bounce without delivery status fields (some
    mail servers only write a text) is taken as Odoo takes it: a bounce."""
    dsn_part = next(
        (
            part
            for part in email_message.walk()
            if part.get_content_type() == "message/delivery-status"
        ),
        None,
    )
    if dsn_part is None:
        return True
    payload = dsn_part.get_payload()
    # the first block is about the message, each next one about a recipient
    recipients = payload[1:] if isinstance(payload, list) else []
    reported = False
    for fields in recipients:
        action = str(fields.get("Action") or "").strip().lower()
        status = str(fields.get("Status") or "").strip()
        if not action and not status:
            continue
        reported = True
        if action == "failed" or status.startswith("5"):
            return True
    return not reported
