import random
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.nps_satisfaction.tools import score_tools

COMMENTS = {
    "promoter": ["Calls have been crystal clear since the upgrade."],
    "passive": ["Fine, but tell us earlier next time.", ""],
    "detractor": ["We lost calls during the maintenance window."],
}


class NpsDemo(models.AbstractModel):
    _inherit = "nps.demo"

    @api.model
    def _generate_newsletter(self, mailing_xmlid, days_ago=7, seed=7):
        """Record the demo newsletter as sent ``days_ago`` days back: each
        recipient's survey (through the same code as a real sending), their
        delivery traces (most opened, some clicked) and some answers. The
        mails themselves are not rendered: they went out back then."""
        rng = random.Random(seed)
        mailing = self.env.ref(mailing_xmlid)
        sent_at = fields.Datetime.now() - timedelta(days=days_ago)
        recipients = self.env["res.partner"].browse(mailing._get_remaining_recipients())
        self.env["nps.schedule"]._nps_schedule_mailing(mailing, recipients.ids)
        traces = []
        for partner in recipients.sorted("id"):
            values = {
                "mass_mailing_id": mailing.id,
                "model": "res.partner",
                "res_id": partner.id,
                "email": partner.email,
                "trace_type": "mail",
                "trace_status": "sent",
                "sent_datetime": sent_at,
            }
            if rng.random() < 0.7:
                opened = sent_at + timedelta(hours=rng.randint(1, 30))
                values.update(trace_status="open", open_datetime=opened)
                if rng.random() < 0.4:
                    values["links_click_datetime"] = opened + timedelta(minutes=2)
            traces.append(values)
        self.env["mailing.trace"].create(traces)
        self.env["nps.request"]._nps_link_mailing_traces(mailing)
        requests = self.env["nps.request"].search(
            [("mailing_id", "=", mailing.id), ("state", "=", "sent")]
        )
        requests.write({"sent_date": sent_at})
        for request in requests.sorted("id"):
            if rng.random() >= 0.45:
                continue
            score = rng.choice([10, 10, 9, 9, 8, 7, 6, 3])
            category = score_tools.classify(score)
            request._nps_mark_answered(
                {
                    "score": score,
                    "nps_category": category,
                    "comment": rng.choice(COMMENTS[category]),
                },
                channel="campaign",
                date=sent_at + timedelta(hours=rng.randint(2, 48)),
            )
        # recorded without the answers' effects (no case, no email): the
        # survey answers, the comments' themes and the customers' figures here
        answered = requests.filtered(lambda r: r.answer_date)
        self._answer_in_survey(answered)
        requests.filtered("comment")._nps_tag_themes()
        self._demo_newsletter_figures(answered)
        mailing.write({"state": "done", "sent_date": sent_at})
        return mailing

    @api.model
    def _demo_newsletter_figures(self, answered):
        """The figures of the customers who answered the newsletter, their
        health and risk score with them: its answers are theirs, as the
        churn figures count them. The health changes they make are dated
        at the customer's last answer, days ago, not at the install."""
        customers = answered.partner_id | answered.commercial_partner_id
        History = self.env["nps.health.history"]
        before = History.search([("partner_id", "in", customers.ids)])
        customers._nps_refresh_stats()
        for row in History.search(
            [("partner_id", "in", customers.ids), ("id", "not in", before.ids)]
        ):
            dates = answered.filtered(
                lambda r, p=row.partner_id: r.commercial_partner_id == p
            ).mapped("answer_date")
            row.sudo().write({"date": max(dates)})
