from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

#: customer (a company of nps_demo.COMPANIES), days since the notice, days
#: from the notice to the contract's end, reason, state, note
TERMINATIONS = [
    # a promoter whose business closed: no survey could have warned of it
    (
        "Oberland Bau",
        200,
        180,
        "moved",
        "done",
        "The company closed its Munich site and ended every contract.",
    ),
    # followed up after their detractor answers, the customer stayed
    (
        "Imprimerie Garnier",
        150,
        90,
        "quality",
        "withdrawn",
        "Gave notice after repeated line faults; the follow-up found a "
        "faulty router, replaced free of charge, and the customer stayed.",
    ),
    (
        "Cabinet Lefèvre Avocats",
        120,
        90,
        "price",
        "withdrawn",
        "Gave notice over the price of the PBX lines; after the follow-up "
        "call, a new offer kept the customer.",
    ),
    # at risk for months, gone to a competitor
    (
        "Northgate Schools",
        75,
        60,
        "competitor",
        "done",
        "Moved their lines to a competitor at the end of the school year.",
    ),
    (
        "Juraplan Architekten",
        45,
        30,
        "support",
        "done",
        "Left after a quarter of slow answers from the support.",
    ),
    # at risk now: the notice is still open
    (
        "Elbtal Logistik",
        10,
        90,
        "support",
        "notice",
        "Unhappy with the support's response times; a meeting is planned.",
    ),
]


class NpsDemo(models.AbstractModel):
    """The demo's termination notices over the year: customers saved by a
    follow-up, customers gone, one still under notice (see
    demo/nps_demo.xml)."""

    # split by what things are (STYLE.md): nps_demo.py holds the history
    _inherit = "nps.demo"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _generate_terminations(self):
        today = fields.Date.context_today(self)
        Termination = self.env["nps.termination"].with_context(
            tracking_disable=True, mail_create_nolog=True
        )
        terminations = Termination.browse()
        for name, days, notice_days, reason, state, note in TERMINATIONS:
            customer = self.env["res.partner"].search(
                [("name", "=", name), ("is_company", "=", True)], limit=1
            )
            if not customer:
                continue
            notice_date = today - timedelta(days=days)
            if state == "withdrawn":
                notice_date = self._demo_notice_before_case(customer, notice_date)
            termination = Termination.create(
                {
                    "partner_id": customer.id,
                    "notice_date": notice_date,
                    "end_date": notice_date + timedelta(days=notice_days),
                    "reason_id": self.env.ref(
                        f"nps_satisfaction.nps_termination_reason_{reason}"
                    ).id,
                    "note": Markup("<p>%s</p>") % note,
                }
            )
            if state == "withdrawn":
                termination.action_withdraw()
            elif state == "done":
                termination.action_done()
            terminations |= termination
        return terminations

    @api.model
    def _demo_notice_before_case(self, customer, default):
        """A notice a few days before the customer's latest closed
        follow-up case, which saved him; ``default`` without one."""
        case = self.env["nps.followup"].search(
            [("commercial_partner_id", "=", customer.id), ("state", "=", "done")],
            order="done_date desc",
            limit=1,
        )
        if not case.done_date:
            return default
        return case.done_date.date() - timedelta(days=5)
