from odoo import models


class ResPartner(models.Model):
    """What the opt-out link of a survey email does to the customer."""

    # split by what things are (STYLE.md): res_partner.py holds the figures
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _nps_opt_out_from_survey(self, lang):
        """Stop the satisfaction surveys of these customers, as the opt-out
        link of a survey email asks: once, with a note in ``lang`` (the
        visitor's page's) in each one's chatter. A second call (a double
        click, a replay) changes nothing."""
        env = self.env(context=dict(self.env.context, lang=lang))
        for partner in self.filtered(lambda p: not p.nps_opt_out):
            partner.nps_opt_out = True
            partner.message_post(
                body=env._("Opted out of satisfaction surveys from the survey email."),
                subtype_xmlid="mail.mt_note",
            )
