from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _prepare_mail_values(self, res_ids):
        """A newsletter's survey goes into each recipient's email as slots
        (see ``res.partner.nps_survey_html`` and ``nps_survey_url``), filled
        in here: the email gets the question and the 0-10 buttons, or the
        answer link, the copy of the mailing kept in the contact's chatter
        gets nothing (a personal link has no place there). Odoo sanitizes
        that copy and shortens the links of the email before this point;
        neither needs to go through the eleven buttons of every recipient.

        The context naming the mailing comes from the caller: the slots are
        filled only in the mailing's own composer (see
        ``_nps_composes_mailing``), and emptied in any other."""
        mail_values_all = super()._prepare_mail_values(res_ids)
        mailing_id = self.env.context.get("nps_mailing_id")
        if mailing_id and self.composition_mode == "mass_mail":
            self.env["nps.request"]._nps_fill_survey_slots(
                mailing_id if self._nps_composes_mailing(mailing_id) else False,
                mail_values_all,
            )
        return mail_values_all

    def _nps_composes_mailing(self, mailing_id):
        """Whether this composer is the one the newsletter ``mailing_id``
        sends itself through: of that mailing, to contacts, with no template
        nor recipient of its own that could carry a customer's survey to
        someone else."""
        self.ensure_one()
        return (
            self.mass_mailing_id.id == mailing_id
            and self.model == "res.partner"
            and not self.template_id
            and not self.partner_ids
        )
