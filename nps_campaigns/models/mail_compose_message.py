from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _prepare_mail_values(self, res_ids):
        """A newsletter's survey block goes into each recipient's email as a
        slot (see ``res.partner.nps_survey_html``), filled in here: the email
        gets the question and the 0-10 buttons, the copy of the mailing kept
        in the contact's chatter gets nothing (a personal link has no place
        there). Odoo sanitizes that copy and shortens the links of the email
        before this point; neither needs to go through the eleven buttons of
        every recipient."""
        mail_values_all = super()._prepare_mail_values(res_ids)
        mailing_id = self.env.context.get("nps_mailing_id")
        if mailing_id and self.composition_mode == "mass_mail":
            self.env["nps.request"]._nps_fill_survey_slots(mailing_id, mail_values_all)
        return mail_values_all
