import contextlib
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.base.models.ir_qweb import IrQweb

from .common import NpsCase, NpsHttpMixin


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
            lambda: self.env["nps.dispatch"]._nps_dispatch_due(batch_size=1000)
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

    def test_request_locked_once_per_transaction(self):
        """A post finds its request, locks its row and reads it in one
        query; the answer service's lock of the same row then costs none,
        until a rollback (of the transaction or of a savepoint) ends the
        lock."""
        request = self.sent_request().sudo()
        other = self.sent_request(self.customer_b).sudo()
        requests = self.env["nps.request"].sudo()
        token = request.access_token
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            found = requests._nps_lock_token(token)
            found._nps_lock()
            self.assertEqual((found.state, found.campaign_id), ("sent", self.campaign))
        self.assertEqual(found, request, "the token's request")
        self.assertFalse(requests._nps_lock_token("x" * 43), "an unknown token")
        with contextlib.suppress(ValueError), self.env.cr.savepoint():
            other._nps_lock()
            raise ValueError("rolled back")
        with self.assertQueryCount(1):
            other._nps_lock()
        with self.assertQueryCount(0):
            other._nps_lock()

    def test_mail_body_compiled_once_per_batch(self):
        """Regression: Odoo compiles an inline mail template's body once per
        record; the dispatch renders it as a QWeb view, compiled once."""
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

    def dispatch_and_stock_bodies(self, requests, template):
        """The template's body for the requests as the dispatch renders it
        and as Odoo's own rendering does, one record at a time."""
        template = template.sudo()
        rendered = self.env["nps.mail.render"]._nps_render_template(requests, template)
        # the same bodies, but for the white space after the last tag, which
        # a view's root does not keep
        ours = {
            request_id: values["body_html"].rstrip()
            for request_id, values in rendered.items()
        }
        stock = template._render_field(
            "body_html", requests.ids, options={"post_process": False}
        )
        return ours, {request_id: body.rstrip() for request_id, body in stock.items()}

    def test_view_rendering_gives_each_record_its_own_body(self):
        """The dispatch's rendering gives, record by record, what Odoo's
        rendering gives, in each language."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        customers = self.make_customers(5, "render")
        customers[:2].lang = "fr_FR"
        customers[4].name = "O'Brien <b>&amp;</b>"
        requests = self.close(self.make_tickets(customers))
        template = self.campaign.mail_template_id
        bodies = {}
        for lang in ("fr_FR", "en_US"):
            group = requests.filtered(lambda r, lang=lang: r.partner_id.lang == lang)
            ours, stock = self.dispatch_and_stock_bodies(
                group, template.with_context(lang=lang)
            )
            self.assertEqual(ours, stock, lang)
            self.assertEqual(len(set(ours.values())), len(group), lang)
            bodies.update(ours)
        self.assertIn("O&#39;Brien &lt;b&gt;", bodies[requests[4].id])
        self.assertIn("Bonjour", bodies[requests[0].id], "in the customer's language")

    def test_variables_do_not_leak_between_records(self):
        """A template assigning a variable: a value set for one record must
        not reach the next."""
        requests = self.close(self.make_tickets(self.make_customers(3, "tset")))
        requests[1].partner_id.email = False
        template = self.campaign.mail_template_id.copy(
            {
                "body_html": '<p><t t-if="object.partner_id.email">'
                '<t t-set="mail" t-value="object.partner_id.email"/></t>'
                "<t t-out=\"mail or 'none'\"/></p>"
            }
        )
        ours, stock = self.dispatch_and_stock_bodies(requests, template)
        self.assertEqual(ours, stock)
        self.assertEqual(ours[requests[1].id], "<p>none</p>")

    def test_body_view_follows_the_template(self):
        """The body's view is found again while the body stays, and replaced
        when the template's body changes."""
        Render = self.env["nps.mail.render"]
        template = self.campaign.mail_template_id.copy(
            {"body_html": "<p>First <t t-out='object.partner_id.name'/></p>"}
        )
        first = Render._nps_body_view(template)
        self.assertEqual(Render._nps_body_view(template), first, "found again")
        template.body_html = "<p>Second <t t-out='object.partner_id.name'/></p>"
        second = Render._nps_body_view(template)
        self.assertNotEqual(second, first)
        self.assertFalse(first.exists(), "the previous body's view is removed")
        request = self.close(self.make_tickets(self.make_customers(1, "view")))
        ours, stock = self.dispatch_and_stock_bodies(request, template)
        self.assertEqual(ours, stock)
        self.assertIn("Second", ours[request.id])

    def test_restricted_user_renders_the_stock_way(self):
        """A user who may not edit templates renders in Odoo's restricted
        mode: no view for him, the stock rendering and its checks."""
        template = self.campaign.mail_template_id
        self.assertFalse(
            self.env["nps.mail.render"].with_user(self.agent)._nps_body_view(template)
        )

    def test_render_error_is_clear(self):
        requests = self.close(self.make_tickets(self.make_customers(2, "broken")))
        # fails for a customer named "boom" only: Odoo renders a template once
        # when it is saved
        template = self.campaign.mail_template_id.copy(
            {"body_html": "<p t-out=\"1 // (object.partner_id.name != 'boom')\"/>"}
        )
        requests[1].partner_id.name = "boom"
        with self.assertRaisesRegex(UserError, "Failed to render template"):
            self.env["nps.mail.render"]._nps_render_template(requests, template.sudo())

    def test_separator_in_content(self):
        """Should a record's content hold the separator of the batch, each
        record still gets its own body (rendered the stock way)."""
        customers = self.make_customers(3, "separator")
        customers[1].name = "nps-body-" + "0" * 32
        requests = self.close(self.make_tickets(customers))
        with patch(
            "odoo.addons.nps_satisfaction.models.nps_mail_render.secrets.token_hex",
            return_value="0" * 32,
        ):
            ours, stock = self.dispatch_and_stock_bodies(
                requests, self.campaign.mail_template_id
            )
        self.assertEqual(ours, stock)
        self.assertIn(customers[1].name, ours[requests[1].id])


@tagged("post_install", "-at_install")
class TestAnswerPageQueries(NpsHttpMixin, NpsCase, HttpCase):
    """The answer page's posts as ``./run-benchmark --load`` times them
    (tests/benchmark/bench_load.py): a customer's one-click score, then the
    comment step from the same browser, an hour after the email. Their
    queries are pinned: each is a round trip on a page every answering
    customer loads. Odoo's request log counts a few more per request (the
    database list, the registry's signalling, the public user, the
    transaction's time), which the test server does not run."""

    #: queries of the one-click POST (the provisional score)
    click_budget = 14
    #: queries of the comment step (the answer)
    comment_budget = 13

    def browser_answer(self, score, comment):
        """A customer's one-click ``score``, then its comment step with
        ``comment``, each post within its budget; returns the request."""
        request = self.sent_request(self.make_customers(1, f"budget{score}"))
        request.sudo().sent_date -= timedelta(hours=1)
        self.env.flush_all()
        url = f"{self.base_url()}/nps/{request.sudo().access_token}"
        browser = self.use(self.customer_session())
        page = browser.get(f"{url}?score={score}", timeout=30)
        with self.assertQueryCount(self.click_budget):
            click = browser.post(
                url, data={"score": str(score), "csrf_token": self.csrf(page)}
            )
        self.assertEqual(click.status_code, 200, click.text[:300])
        with self.assertQueryCount(self.comment_budget):
            more = browser.post(
                url,
                data={
                    "comment": comment,
                    "step": "more",
                    "csrf_token": self.csrf(click),
                },
            )
        self.assertEqual(more.status_code, 200, more.text[:300])
        return request

    def test_answer_posts_query_budget(self):
        """The comment step confirms the provisional score, records the
        score and the comment on the request and leaves the effects to their
        job (the survey answer made, its lines written and marked done among
        them), in a fixed number of queries; so does the one-click score
        before it."""
        # a first answer warms the caches up (templates, the public user's
        # defaults) and leaves the effects' job a wake-up pending, as on a
        # busy page: its queries are not counted
        self.warm = False
        self.browser_answer(9, "First")
        self.warm = True
        request = self.browser_answer(3, "Too slow")
        self.env.invalidate_all()
        self.assertEqual(
            (request.state, request.score, request.comment, request.confirmed_by),
            ("answered", 3, "Too slow", "customer"),
        )
        self.assertFalse(
            request.user_input_id,
            "the survey answer, with the score and the comment, is made by the job",
        )
        self.assertTrue(request.effects_pending, "its effects are left to the job")
        self.env["nps.answer.effects"]._nps_apply(request)
        answer = request.user_input_id
        self.assertEqual(answer.state, "done", "the survey answer is done")
        self.assertEqual(
            sorted(answer.user_input_line_ids.mapped("answer_type")),
            ["scale", "text_box"],
            "the score and the comment are in the survey answer",
        )
        self.assertEqual(
            answer.user_input_line_ids.mapped("survey_id"),
            answer.survey_id,
            "its lines are the survey's",
        )
        self.assertEqual(
            sorted(answer.user_input_line_ids.mapped("question_sequence")),
            sorted(answer.user_input_line_ids.question_id.mapped("sequence")),
            "its lines have their questions' sequence",
        )
