from odoo import api, models


class NpsSendPolicy(models.AbstractModel):
    """The send policy, with newsletters: a newsletter's recipient who
    opted out of the mailing's lists gets no survey with it, and a survey
    sent with a newsletter counts in the other campaigns' quiet period only
    when its campaign says so."""

    _inherit = "nps.send.policy"

    @api.model
    def _nps_facts(self, partners, mailing=None, exclude_requests=None):
        facts = super()._nps_facts(
            partners, mailing=mailing, exclude_requests=exclude_requests
        )
        facts["newsletter_out"] = (
            set(self.env["res.partner"]._mailing_get_opt_out_list(mailing))
            if mailing
            else set()
        )
        return facts

    @api.model
    def _nps_extra_reason(self, facts, partner, campaign, purpose):
        reason = super()._nps_extra_reason(facts, partner, campaign, purpose)
        if (
            not reason
            and purpose == "newsletter"
            and partner.email_normalized in facts["newsletter_out"]
        ):
            reason = "newsletter_opt_out"
        return reason

    @api.model
    def _nps_sent_domain(self, commercials, mailing=None):
        domain = super()._nps_sent_domain(commercials, mailing=mailing)
        if mailing:
            # a newsletter's own survey: every survey sent counts
            return domain
        return domain + [
            "|",
            ("mailing_id", "=", False),
            ("campaign_id.newsletter_throttles", "=", True),
        ]
