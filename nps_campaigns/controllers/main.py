from markupsafe import Markup
from werkzeug.exceptions import Unauthorized

from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.mass_mailing.controllers.main import MassMailController


class NpsMassMailController(MassMailController):
    def _check_mailing_email_token(
        self, mailing_id, document_id, email, hash_token, required_mailing_id=False
    ):
        """A hash token that is not ASCII, or given with a document id that
        is not a number, is refused like any wrong one (Odoo's check raises
        on them: an error 500)."""
        if hash_token and (
            not str(hash_token).isascii()
            or (document_id and not str(document_id).isdigit())
        ):
            raise Unauthorized()
        return super()._check_mailing_email_token(
            mailing_id,
            document_id,
            email,
            hash_token,
            required_mailing_id=required_mailing_id,
        )

    def _mailing_unsubscribe_from_document(
        self, mailing, document_id, email, hash_token
    ):
        """A newsletter sent to a customer segment unsubscribes the customer
        from newsletters only (``nps_newsletter_opt_out``), rather than adding
        the address to the blacklist that also stops satisfaction surveys and
        every other email."""
        if not mailing.nps_segment_id or mailing.mailing_model_real != "res.partner":
            return super()._mailing_unsubscribe_from_document(
                mailing, document_id, email, hash_token
            )
        email_normalized = email_normalize(email or "")
        partners = (
            request.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("email_normalized", "=", email_normalized)])
            if email_normalized
            else request.env["res.partner"].sudo().browse()
        )
        partners.write({"nps_newsletter_opt_out": True})
        for partner in partners:
            partner.message_post(
                body=Markup("<p>%s</p>")
                % request.env._(
                    "Unsubscribed from newsletters by the link of %(mailing)s.",
                    mailing=mailing.subject or mailing.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return request.render(
            "mass_mailing.page_mailing_unsubscribe",
            dict(
                self._prepare_mailing_subscription_values(
                    mailing, document_id, email, hash_token
                ),
                last_action="subscription_updated",
                unsubscribed_name=request.env._(
                    "You will no longer receive our newsletters."
                ),
            ),
        )
