import random
from datetime import timedelta

from odoo import api, fields, models


class NpsDemo(models.AbstractModel):
    _inherit = "nps.demo"

    @api.model
    def _generate_onboarding(self, seed=11):
        """Enrol the demo customers' contacts in the onboarding courses of
        their services, months ago, with a realistic progress: about half
        completed, some part-way, some never started; those without progress
        for the course's number of days are flagged stalled and their account
        managers get an activity, as the daily cron would do."""
        rng = random.Random(seed)
        # Odoo loads an addon's translations once its demo data is in, after
        # the emails below: load them now, so the courses' names and the
        # onboarding emails reach the French and German learners in their
        # own language (as the satisfaction demo's story does)
        self.env["ir.module.module"].search(
            [("name", "=", "nps_elearning")]
        )._update_translations()
        now = fields.Datetime.now()
        members = self._generate_onboarding_members()
        for member in members.sorted("id"):
            self._generate_onboarding_progress(rng, member, now)
        stalled = self.env["slide.channel.partner"]._nps_detect_stalled()
        stalled._nps_notify_account_managers()
        return members

    @api.model
    def _generate_onboarding_members(self):
        """Enrol each demo customer in the onboarding courses of its
        services, long ago: the invitations are not sent now. Returns the
        course members."""
        env = self.env
        courses = env["slide.channel"].search([("nps_onboarding", "=", True)])
        customers = env["res.partner"].search(
            [("is_company", "=", True), ("nps_service_type_ids", "!=", False)]
        )
        wanted = {}
        for customer in customers:
            matching = courses._nps_matching(customer.nps_service_type_ids)
            if matching:
                wanted[customer] = matching
        members = env["slide.channel"]._nps_enrol_customers(wanted, "service")
        # the invitations went out when the customers were enrolled, long ago
        env["mail.mail"].sudo().search(
            [
                ("model", "=", "slide.channel.partner"),
                ("res_id", "in", members.ids),
                ("state", "=", "outgoing"),
            ]
        ).unlink()
        return members

    @api.model
    def _generate_onboarding_progress(self, rng, member, now):
        """The member's progress in his course: all of it (half of them),
        part of it (three in ten) or none, and when he enrolled and last
        progressed."""
        slides = member.channel_id.slide_ids.filtered("is_published").sorted("sequence")
        roll = rng.random()
        if roll < 0.5:
            done = len(slides)
        elif roll < 0.8:
            done = rng.randint(1, max(len(slides) - 1, 1))
        else:
            done = 0
        if done:
            self.env["slide.slide.partner"].sudo().create(
                [
                    {
                        "slide_id": slide.id,
                        "channel_id": member.channel_id.id,
                        "partner_id": member.partner_id.id,
                        "completed": True,
                    }
                    for slide in slides[:done]
                ]
            )
        enrolled = now - timedelta(days=rng.randint(20, 300))
        progress = enrolled + timedelta(days=rng.randint(0, 12) if done else 0)
        values = {"nps_enrolled_date": enrolled, "nps_last_progress_date": progress}
        if member.member_status == "completed":
            values["nps_completed_date"] = progress
        member.write(values)

    @api.model
    def _generate_onboarding_joins(self, customer_id):
        """Two requests to join by the customer's company link: an address of
        one of its domains (admitted, a learner of the customer) and a private
        one (waiting for its account manager's approval)."""
        customer = self.env["res.partner"].browse(customer_id)
        domain = sorted(customer._nps_onboarding_domain_set())[:1]
        Join = self.env["nps.onboarding.join"]
        joins = Join.browse()
        if domain:
            joins |= Join._nps_join(customer, "Lena Vogt", f"lena.vogt@{domain[0]}")
        joins |= Join._nps_join(customer, "Tom Berger", "tom.berger@privatmail.example")
        return joins
