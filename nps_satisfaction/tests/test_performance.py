from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.base.models.ir_qweb import IrQweb

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestPerformance(NpsCase):
    """Closing tickets and dispatching surveys take a number of queries that
    does not grow with the number of records."""

    def count_queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def scheduling_queries(self, count, prefix):
        self.campaign.ticket_stage_ids = False  # the tickets stay open here
        tickets = self.make_tickets(self.make_customers(count, prefix))
        requests = self.env["nps.request"]
        # only our part of the close: helpdesk_mgmt's own write costs queries
        # per ticket (its write loops over the tickets), which is not ours
        queries = self.count_queries(
            lambda: tickets.with_context(tracking_disable=True)._nps_schedule_survey()
        )
        requests = tickets.nps_request_ids
        self.assertEqual(len(requests), count)
        self.assertEqual(set(requests.mapped("state")), {"scheduled"})
        return queries

    def dispatch_queries(self, count, prefix):
        tickets = self.make_tickets(self.make_customers(count, prefix))
        tickets.write({"stage_id": self.stage_done.id})
        queries = self.count_queries(
            lambda: self.env["nps.request"]._nps_dispatch_due(batch_size=1000)
        )
        self.assertEqual(set(tickets.nps_request_ids.mapped("state")), {"sent"})
        return queries

    def test_scheduling_query_count_is_constant(self):
        small = self.scheduling_queries(10, "small")
        large = self.scheduling_queries(100, "large")
        self.assertLessEqual(
            large,
            small,
            f"scheduling 100 tickets took {large} queries, 10 took {small}",
        )

    def test_close_query_count_is_constant(self):
        """The whole close, helpdesk_mgmt's write included, grows per ticket only
        by what helpdesk_mgmt itself costs: scheduling adds a constant."""

        def close_queries(count, prefix, with_survey):
            tickets = self.make_tickets(self.make_customers(count, prefix))
            if not with_survey:
                tickets.write({"nps_skip_survey": True, "nps_skip_reason": "bench"})
                self.env["nps.campaign"].search([]).active = False
            queries = self.count_queries(
                lambda: tickets.write({"stage_id": self.stage_done.id})
            )
            self.env["nps.campaign"].with_context(active_test=False).search(
                []
            ).active = True
            return queries

        added_small = close_queries(10, "a", True) - close_queries(10, "b", False)
        added_large = close_queries(100, "c", True) - close_queries(100, "d", False)
        self.assertLessEqual(
            added_large,
            added_small,
            f"surveys add {added_large} queries to closing 100 tickets, "
            f"{added_small} to 10",
        )

    def test_dispatch_query_count_is_constant(self):
        small = self.dispatch_queries(10, "small")
        large = self.dispatch_queries(100, "large")
        self.assertLessEqual(
            large,
            small,
            f"dispatching 100 requests took {large} queries, 10 took {small}",
        )

    def test_mail_body_compiled_once_per_batch(self):
        """Regression: Odoo compiles an inline mail template's body once per
        record; the dispatch reuses one compilation for the whole batch."""
        self.close(self.make_tickets(self.make_customers(6, "compile")))
        original = IrQweb._generate_code_uncached
        with patch.object(
            IrQweb, "_generate_code_uncached", autospec=True, side_effect=original
        ) as compile_code:
            sent = self.dispatch()
        self.assertEqual(len(sent), 6)
        self.assertLessEqual(
            compile_code.call_count,
            2,
            "the survey body is compiled once, not once per request",
        )
        bodies = sent.mail_id.mapped("body_html")
        self.assertEqual(len(set(bodies)), 6, "each mail keeps its own links")
