from odoo import api, fields, models


class NpsSchedule(models.AbstractModel):
    """The newsletters' surveys: each recipient of a mailing carrying the
    survey gets his own request, created here like every other."""

    _inherit = "nps.schedule"

    @api.model
    def _nps_schedule_mailing(self, mailing, partner_ids):
        """Create, in batch, the survey of each recipient of a newsletter:
        ``sent``, or ``skipped`` with the reason (the customer opted out, is
        blacklisted, is within the quiet period...). A recipient who already
        has one for this mailing keeps it."""
        requests = self.env["nps.request"].sudo()
        campaign = mailing.nps_campaign_id
        if not campaign or not partner_ids:
            return requests
        requests.flush_model(["mailing_id", "partner_id"])
        existing = {
            partner.id
            for (partner,) in requests._read_group(
                [("mailing_id", "=", mailing.id), ("partner_id", "in", partner_ids)],
                ["partner_id"],
            )
        }
        partners = (
            self.env["res.partner"]
            .sudo()
            .browse([pid for pid in partner_ids if pid not in existing])
        )
        if not partners:
            return requests
        now = fields.Datetime.now()
        policy = self.env["nps.send.policy"]
        facts = policy._nps_facts(partners, mailing=mailing)
        company = campaign.company_id or self.env.company
        common = {
            "campaign_id": campaign.id,
            "company_id": company.id,
            "channel": "campaign",
            "mailing_id": mailing.id,
            "utm_campaign_id": mailing.campaign_id.id,
            "utm_source_id": mailing.source_id.id,
            "utm_medium_id": mailing.medium_id.id,
        }
        seen = set()
        vals_list = []
        for partner in partners:
            email = partner.email_normalized
            if email and email in seen:
                reason = "duplicate_email"
            else:
                # each recipient of the newsletter gets its survey (the
                # contacts of one company too): no note of the decision
                reason, _channel = policy._nps_reason(
                    facts, partner, campaign, "newsletter", now=now
                )
            if email:
                seen.add(email)
            vals = dict(common, partner_id=partner.id)
            if reason:
                vals.update(state="skipped", skip_reason=reason)
            else:
                vals.update(state="sent", scheduled_date=now, sent_date=now)
            vals_list.append(vals)
        # the survey answers are created when the customers answer (see
        # _nps_record_answer): a newsletter goes to thousands, few answer
        return self.sudo()._nps_create_requests(vals_list, bulk=True)
