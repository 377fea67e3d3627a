from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import NpsCase


@tagged("post_install", "-at_install")
class TestTransientRules(NpsCase):
    """Regression: Odoo 19 gives a TransientModel no implicit "own records"
    rule, and a satisfaction user wrote another user's dashboard lines
    (``impact=-999`` on the admin's line) and created lines on them. Every
    dashboard, analysis and wizard of the suite is its creator's only (an
    analysis's lines, which its Compute stores, with it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_b = new_test_user(
            cls.env,
            login="nps_manager_b",
            groups="base.group_user,nps_satisfaction.group_nps_manager",
            name="Bruno Manager",
        )
        cls.theme = cls.env["nps.theme"].create({"name": "Roaming"})
        cls.case = cls._detractor_case()
        # known to the suite before the churn figures' reference date: a
        # customer of the analyses' Compute
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE nps_request SET create_date = create_date - interval "
                "'60 days' WHERE id = %s",
                cls.case.request_id.id,
            )
        )

    @classmethod
    def _detractor_case(cls):
        request = cls.env["nps.request"].create(
            {"campaign_id": cls.campaign.id, "partner_id": cls.customer_a.id}
        )
        return cls.env["nps.followup"].create(
            {"request_id": request.id, "kind": "keyword"}
        )

    def _records(self, env):
        """One record of every transient model holding a user's figures or
        choices, made in ``env``."""
        dashboard = env["nps.dashboard"].create({})
        dashboard.flush_recordset()  # its own lines made now, not over ours
        analysis = env["nps.churn.analysis"].create({})
        analysis.action_compute()
        discovery = env["nps.theme.discovery"].create({"lang": "en_US"})
        return [
            dashboard,
            env["nps.dashboard.theme"].create(
                {"dashboard_id": dashboard.id, "theme_id": self.theme.id}
            ),
            analysis,
            env["nps.churn.segment"].create(
                {"analysis_id": analysis.id, "dimension": "health", "value": "x"}
            ),
            env["nps.churn.line"].search([("analysis_id", "=", analysis.id)], limit=1),
            discovery,
            env["nps.theme.discovery.line"].create(
                {"discovery_id": discovery.id, "kind": "word", "name": "roaming"}
            ),
            env["nps.campaign.preview"].create({"campaign_id": self.campaign.id}),
            env["nps.campaign.send"].create({"campaign_id": self.campaign.id}),
            env["nps.followup.close"].create(
                {
                    "followup_id": self.case.id,
                    "root_cause_id": self.env.ref(
                        "nps_satisfaction.reason_response_time"
                    ).id,
                    "outcome": "resolved",
                }
            ),
            env["nps.phone.answer"].create({"campaign_id": self.campaign.id}),
            env["nps.privacy.anonymize"].create({"partner_id": self.company_a.id}),
            env["nps.privacy.export"].create({"partner_id": self.company_a.id}),
        ]

    def test_another_user_cannot_reach_them(self):
        env_b = self.env(user=self.manager_b)
        for record in self._records(self.env(user=self.manager)):
            with self.subTest(model=record._name):
                theirs = env_b[record._name].browse(record.id)
                self.assertFalse(
                    env_b[record._name].search([("id", "=", record.id)]),
                    f"{record._name}: another user finds the record",
                )
                with self.assertRaises(AccessError, msg=f"{record._name}: read"):
                    theirs.read(["create_uid"])
                with self.assertRaises(AccessError, msg=f"{record._name}: write"):
                    theirs.write({})
                with self.assertRaises(AccessError, msg=f"{record._name}: unlink"):
                    theirs.unlink()

    def test_their_creator_still_works_them(self):
        records = self._records(self.env(user=self.manager))
        Access = self.env["ir.model.access"].with_user(self.manager)
        for record in records:
            with self.subTest(model=record._name):
                self.assertTrue(record)
                record.read(["create_uid"])
                if Access.check(record._name, "write", raise_exception=False):
                    record.write({})
        for record in reversed(records):
            if Access.check(record._name, "unlink", raise_exception=False):
                record.unlink()

    def test_satisfaction_user_cannot_change_the_admins_dashboard(self):
        """The trial's attack: write ``impact=-999`` on the admin's line and
        add a line to his dashboard."""
        admin = self.env.ref("base.user_admin")
        dashboard = self.env["nps.dashboard"].with_user(admin).create({})
        dashboard.flush_recordset()  # its own lines made now, not over ours
        line = (
            self.env["nps.dashboard.theme"]
            .with_user(admin)
            .create({"dashboard_id": dashboard.id, "theme_id": self.theme.id})
        )
        Line = self.env["nps.dashboard.theme"].with_user(self.nps_user)
        with self.assertRaises(AccessError, msg="wrote the admin's line"):
            Line.browse(line.id).write({"impact": -999})
        with self.assertRaises(AccessError, msg="added a line to his dashboard"):
            Line.create({"dashboard_id": dashboard.id, "theme_id": self.theme.id})
        own = self.env["nps.dashboard"].with_user(self.nps_user).create({})
        own.theme_line_ids.read(["impact"])
        self.assertEqual(line.impact, 0.0, "the admin's line kept its figures")
