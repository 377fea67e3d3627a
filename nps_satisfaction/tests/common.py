import re
from datetime import timedelta
from unittest.mock import patch

import odoo.http
from odoo import fields
from odoo.tests import new_test_user
from odoo.tests.common import HOST, Opener, TransactionCase, get_db_name
from odoo.tools import SQL


class NpsCase(TransactionCase):
    """Shared set-up: the shipped post-ticket campaign, one user per role,
    customers of two companies and helpers to make and close tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._setup_stages_and_campaigns()
        cls._setup_users()
        cls._setup_teams()
        cls._setup_customers()
        # An alias domain gives Odoo 19 a default sender
        cls.env.company.email = "care@telco.example.com"

    @classmethod
    def _setup_stages_and_campaigns(cls):
        env = cls.env
        cls.stage_new = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.campaign = env.ref("nps_satisfaction.campaign_post_ticket")
        cls.campaign_project = env.ref("nps_satisfaction.campaign_post_installation")
        cls.survey = cls.campaign.survey_id

    @classmethod
    def _setup_users(cls):
        """One test user per role."""
        env = cls.env
        cls.manager = new_test_user(
            env,
            login="nps_manager",
            groups="base.group_user,nps_satisfaction.group_nps_manager",
            name="Nina Manager",
            email="nina@example.com",
        )
        cls.nps_user = new_test_user(
            env,
            login="nps_user",
            groups="base.group_user,nps_satisfaction.group_nps_user",
            name="Ulrich User",
            email="ulrich@example.com",
        )
        cls.account_manager = new_test_user(
            env,
            login="account_manager",
            groups="base.group_user,nps_satisfaction.group_nps_user",
            name="Anna Account",
            email="anna@example.com",
        )
        cls.team_leader = new_test_user(
            env,
            login="team_leader",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
            name="Theo Leader",
            email="theo@example.com",
        )
        cls.agent = new_test_user(
            env,
            login="agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            name="Agnes Agent",
            email="agnes@example.com",
        )

    @classmethod
    def _setup_teams(cls):
        env = cls.env
        cls.team = env["helpdesk.ticket.team"].create(
            {"name": "Voice support", "user_id": cls.team_leader.id}
        )
        cls.team_other = env["helpdesk.ticket.team"].create({"name": "Billing"})

    @classmethod
    def _setup_customers(cls):
        """Two customer companies: Acme (two contacts, an account manager)
        and Beta (one contact)."""
        Partner = cls.env["res.partner"]
        cls.company_a = Partner.create(
            {
                "name": "Acme Telecom Client",
                "is_company": True,
                "email": "office@acme.example.com",
                "user_id": cls.account_manager.id,
            }
        )
        cls.customer_a = Partner.create(
            {
                "name": "Alice Acme",
                "parent_id": cls.company_a.id,
                "email": "alice@acme.example.com",
            }
        )
        cls.customer_a2 = Partner.create(
            {
                "name": "Arthur Acme",
                "parent_id": cls.company_a.id,
                "email": "arthur@acme.example.com",
            }
        )
        cls.company_b = Partner.create(
            {
                "name": "Beta Networks",
                "is_company": True,
                "email": "hq@beta.example.com",
            }
        )
        cls.customer_b = Partner.create(
            {
                "name": "Bob Beta",
                "parent_id": cls.company_b.id,
                "email": "bob@beta.example.com",
            }
        )

    def make_tickets(self, partners, **values):
        return self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Ticket {index}",
                    "description": "A problem",
                    "partner_id": partner.id,
                    "team_id": values.get("team_id", self.team.id),
                    "user_id": values.get("user_id", self.agent.id),
                    "stage_id": self.stage_new.id,
                    **{
                        k: v
                        for k, v in values.items()
                        if k not in ("team_id", "user_id")
                    },
                }
                for index, partner in enumerate(partners)
            ]
        )

    def close(self, tickets, stage=None):
        tickets.write({"stage_id": (stage or self.stage_done).id})
        return tickets.nps_request_ids

    def make_customers(self, count, prefix="cust"):
        return self.env["res.partner"].create(
            [
                {"name": f"{prefix} {index}", "email": f"{prefix}{index}@example.com"}
                for index in range(count)
            ]
        )

    def sent_request(self, partner=None):
        """A request closed, dispatched and waiting for its answer."""
        ticket = self.make_tickets(partner or self.customer_a)
        request = self.close(ticket)
        self.assertEqual(request.state, "scheduled", request.skip_reason)
        self.dispatch()
        self.assertEqual(request.state, "sent")
        return request

    def dispatch(self):
        return self.env["nps.dispatch"]._nps_dispatch_due()

    def past(self, days):
        return fields.Datetime.now() - timedelta(days=days)

    def close_case(self, request, feedback, user=None, outcome="resolved"):
        """Close the follow-up case of ``request``'s answer as its account
        manager does (or ``user``): the close wizard, with a root cause, the
        outcome and ``feedback`` as the action taken."""
        case = request.sudo().followup_ids
        env = self.env(user=user) if user else self.env
        cause = case.request_id.reason_ids[:1] or self.env.ref(
            "nps_satisfaction.reason_response_time"
        )
        env["nps.followup.close"].create(
            {
                "followup_id": case.id,
                "root_cause_id": cause.id,
                "outcome": outcome,
                "note": feedback,
            }
        ).action_close()
        return case

    def activity_of(self, request):
        """The first activity of the follow-up case of ``request``'s answer,
        done (archived) or not; empty when no case was opened."""
        cases = request.sudo().followup_ids
        if not cases:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [("res_model", "=", "nps.followup"), ("res_id", "in", cases.ids)],
                order="id",
                limit=1,
            )
        )

    def assertSummaryMatches(self, table, dimensions, measures, nonzero, rows):
        """Each key's sums in the summary ``table`` (its fresh rows and its
        compacted one summed; a key whose ``nonzero`` measure sums to
        nothing left out) equal those of ``rows``, the SQL that computes
        them anew from the surveys."""
        self.env.flush_all()
        keys = SQL(", ").join(SQL.identifier(name) for name in dimensions)
        self.env.cr.execute(
            SQL(
                """
                WITH kept AS (
                    SELECT %(keys)s, %(sums)s FROM %(table)s
                  GROUP BY %(keys)s HAVING SUM(%(nonzero)s) <> 0
                ), anew AS (
                    SELECT %(keys)s, %(anew)s FROM (%(rows)s) AS s
                )
                (SELECT 'kept', * FROM kept EXCEPT SELECT 'kept', * FROM anew)
                UNION ALL
                (SELECT 'anew', * FROM anew EXCEPT SELECT 'anew', * FROM kept)
                """,
                keys=keys,
                sums=SQL(", ").join(
                    SQL("SUM(%s)::numeric", SQL.identifier(name)) for name in measures
                ),
                anew=SQL(", ").join(
                    SQL("%s::numeric", SQL.identifier(name)) for name in measures
                ),
                table=SQL.identifier(table),
                nonzero=SQL.identifier(nonzero),
                rows=rows,
            )
        )
        self.assertEqual(self.env.cr.fetchall(), [], "the summary's differences")


#: a browser a customer might use (no scanner signature)
CUSTOMER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
#: other real browsers, each a device of its own on the counter link (a
#: made-up User-Agent names no browser: it is one and the same device)
FIREFOX_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"
)
ANDROID_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
SAFARI_UA = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.5 Safari/605.1.15"
)
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class NpsHttpMixin:
    """Posting on the answer page as a browser does, for HttpCase tests.

    A one-click score is provisional until the same browser confirms it
    (see ``nps.answer.attempt._nps_record``); ``answer`` posts a score
    and confirms it the way the page does, so that tests of what an answer
    does can check its effects."""

    def apply_effects(self):
        """Run the job that applies the effects of the answers given on the
        public pages (figures, alerts, cases), as its cron does, without its
        commits."""
        self.env.flush_all()
        with patch.object(
            type(self.env["ir.cron"]), "_commit_progress", return_value=100.0
        ):
            self.env["nps.answer.effects"]._cron_apply()

    def csrf(self, response):
        match = CSRF_RE.search(response.text)
        self.assertTrue(match, "the page carries a CSRF token")
        return match.group(1)

    def customer_session(self, user_agent=CUSTOMER_UA):
        """A fresh browser: its own Odoo session and cookies, a customer's
        user agent (or ``user_agent``). Requests go through ``use``."""
        session = odoo.http.root.session_store.new()
        session.update(odoo.http.get_default_session(), db=get_db_name())
        odoo.http.root.session_store.save(session)
        opener = Opener(self)
        opener.cookies.set("session_id", session.sid, domain=HOST)
        opener.headers["User-Agent"] = user_agent
        return opener

    def use(self, session=None):
        """Make ``session`` the test's HTTP client (HttpCase allows one)."""
        if session is not None:
            self.opener = session
        return self.opener

    def page_post(self, url, data, session=None, auto=False):
        """Open ``url`` then post ``data`` with the page's CSRF token, as the
        page's form does (``auto``: as its script does by itself)."""
        session = self.use(session)
        page = session.get(self.base_url() + url, timeout=30)
        if not CSRF_RE.search(page.text):
            # an answered survey opened by another browser shows no form: the
            # session's CSRF token of another page
            page = session.get(self.base_url() + "/web/login", timeout=30)
        data = dict(data, csrf_token=self.csrf(page))
        if auto:
            # what the page's script posts: the proof the page carries
            proof = re.search(r'data-nps-auto="([^"]+)"', page.text)
            data["auto"] = proof.group(1) if proof else "1"
        return session.post(self.base_url() + url, data=data, timeout=30)

    def confirm(self, url, response, session=None):
        """What the page's script posts on the customer's first gesture."""
        session = self.use(session)
        nonce = re.search(r'data-nps-confirm="([^"]+)"', response.text)
        csrf = re.search(r'data-nps-csrf="([^"]+)"', response.text)
        self.assertTrue(nonce and csrf, "the page asks for a confirmation")
        reply = session.post(
            f"{self.base_url()}{url}/confirm",
            data={"nonce": nonce.group(1), "csrf_token": csrf.group(1)},
            timeout=30,
        )
        self.assertEqual(reply.status_code, 200)
        return reply.json()["confirmed"]

    def answer(self, url, score, session=None):
        """One click on a score in the email, then a first gesture on the
        page: the customer's confirmed answer."""
        response = self.page_post(url, {"score": str(score)}, session, auto=True)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertTrue(self.confirm(url, response, session), "answer confirmed")
        return response
