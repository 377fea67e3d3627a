from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..tools import risk_tools, score_tools

#: the replay's step and length (days): the year and the weeks before it,
#: so that the health at a year's analysis start is known
STEP_DAYS = 7
REPLAY_DAYS = 399


class NpsDemo(models.AbstractModel):
    """The demo customers' health over the year: replayed week by week from
    the year's answers and follow-up cases with the rule the suite applies
    today (``res.partner._nps_stats_values``, the risk score's answer and
    case drivers), so that the churn figures have a past to read (see
    demo/nps_demo.xml). The history was recorded without its effects; a
    real database keeps its health history as the answers come."""

    # split by what things are (STYLE.md): nps_demo.py holds the history
    _inherit = "nps.demo"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _generate_health_history(self, customers):
        """Write the health history of ``customers`` (companies) over the
        year before today and some weeks before it: a row dated each week
        where their health, its reason or their risk score changed, from
        their first answer. Their follow-up cases, created
        today by the history, are dated back to their answers."""
        self._demo_date_cases(customers)
        answers, cases = self._demo_replay_facts(customers)
        now = fields.Datetime.now()
        rows = []
        for customer in customers:
            previous = None
            for day in range(REPLAY_DAYS, 0, -STEP_DAYS):
                moment = now - timedelta(days=day)
                values, score = customer._demo_state_at(
                    moment, answers[customer.id], cases[customer.id]
                )
                state = (values["nps_health"], values["nps_health_reason"], score)
                if state == previous or not (previous or values["nps_health"]):
                    continue
                previous = state
                rows.append(
                    {
                        "partner_id": customer.id,
                        "date": moment,
                        "health": values["nps_health"],
                        "reason": values["nps_health_reason"],
                        "account_nps": values["nps_account_nps"],
                        "risk_score": score,
                        "company_id": customer.company_id.id,
                    }
                )
        return self.env["nps.health.history"].sudo().create(rows)

    @api.model
    def _demo_date_cases(self, customers):
        """The history's follow-up cases were opened at their answers."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE nps_followup f
               SET create_date = r.answer_date
              FROM nps_request r
             WHERE r.id = f.request_id AND r.answer_date < f.create_date
               AND f.commercial_partner_id = ANY(%s)
            """,
            [customers.ids],
        )
        self.env["nps.followup"].invalidate_model(["create_date"])

    @api.model
    def _demo_replay_facts(self, customers):
        """``(answers, cases)`` of ``customers`` by customer id: their
        answers as ``(date, id, contact id, score, CSAT score)`` and their
        follow-up cases as ``(opened, closed, deadline)``."""
        answers, cases = defaultdict(list), defaultdict(list)
        requests = self.env["nps.request"].search(
            [("commercial_partner_id", "in", customers.ids), ("state", "=", "answered")]
        )
        for request in requests:
            answers[request.commercial_partner_id.id].append(
                (
                    request.answer_date,
                    request.id,
                    request.partner_id.id,
                    request.score if request.nps_category else None,
                    request.csat_score or None,
                )
            )
        for case in self.env["nps.followup"].search(
            [("commercial_partner_id", "in", customers.ids)]
        ):
            cases[case.commercial_partner_id.id].append(
                (
                    case.request_id.answer_date or case.create_date,
                    case.done_date if case.state == "done" else None,
                    case.date_deadline,
                )
            )
        return answers, cases


class ResPartner(models.Model):
    # the replay of one customer: next to the demo that replays it
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _demo_state_at(self, moment, answers, cases):
        """This customer's figures (``_nps_stats_values``) and risk score at
        ``moment``, from ``answers`` and ``cases`` of
        ``NpsDemo._demo_replay_facts``: as the suite would have computed
        them then, from its answers and cases alone."""
        self.ensure_one()
        known = sorted(
            (answer for answer in answers if answer[0] <= moment), reverse=True
        )
        open_cases = [
            (opened, deadline)
            for opened, closed, deadline in cases
            if opened <= moment and (closed is None or closed > moment)
        ]
        ranks = defaultdict(int)
        contacts = []
        for _date, _id, contact, score, _csat in known:
            if score is None:
                continue
            ranks[contact] += 1
            if ranks[contact] <= 2:
                contacts.append([contact, ranks[contact], score])
        csats = [csat for *_rest, csat in known if csat]
        values = self._nps_stats_values(
            [score for *_rest, score, _csat in known if score is not None][:2],
            known[0][0] if known else False,
            score_tools.csat(csats) if csats else None,
            len(csats),
            len(known),
            bool(open_cases),
            contacts,
        )
        drivers = self._nps_risk_figure_drivers(values)
        if open_cases:
            overdue = sum(
                1 for _opened, deadline in open_cases if deadline < moment.date()
            )
            drivers.append(self._nps_risk_case_driver(len(open_cases), overdue))
        return values, risk_tools.score(drivers)
