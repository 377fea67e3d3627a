from lxml import etree

from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import NpsCase


def arch_of(env, model, view_type="form", view=None):
    views = env[model].get_views([(view and env.ref(view).id, view_type)])
    return etree.fromstring(views["views"][view_type]["arch"])


def shown_columns(list_node):
    """The columns a list shows by default: neither hidden for good nor
    offered as an optional one left hidden."""
    return [
        node.get("name")
        for node in list_node.xpath("./field")
        if node.get("column_invisible") not in ("1", "True")
        and node.get("optional") != "hide"
    ]


def cell_hidden(field_node, **values):
    """Whether a list's cell is left empty for a row of these values (the
    field's ``invisible``)."""
    expression = field_node.get("invisible")
    return bool(expression) and bool(safe_eval(expression, values))


@tagged("post_install", "-at_install")
class TestContactSurveyList(NpsCase):
    """The customer's surveys on the contact's *Satisfaction* tab. Regression
    of a user trial in German and French: nine columns cut to a few letters
    each ("Zufriede…", "Beantwo…") and rows made tall by the comment squeezed
    beside them, a CSAT of 0 for a survey not answered or not asking it, and
    the rows not in date order."""

    def history_list(self):
        arch = arch_of(
            self.env["res.partner"].with_user(self.nps_user).env, "res.partner"
        )
        lists = arch.xpath("//field[@name='nps_history_ids']/list")
        self.assertEqual(len(lists), 1, "the tab lists the customer's surveys")
        return lists[0]

    def test_few_columns_by_default(self):
        columns = self.history_list()
        self.assertEqual(
            shown_columns(columns),
            ["sent_date", "partner_id", "campaign_id", "state", "score"]
            + ["csat_score", "comment"],
        )
        for name in ("ticket_id", "nps_category"):
            node = columns.xpath(f"./field[@name='{name}']")
            if node:  # the ticket for the helpdesk's users only
                self.assertEqual(node[0].get("optional"), "hide", name)
        contact = columns.xpath("./field[@name='partner_id']")[0]
        self.assertEqual(
            contact.get("column_invisible"),
            "not parent.is_company",
            "the contact's column on a company's tab only",
        )
        score = columns.xpath("./field[@name='score']")[0]
        self.assertTrue(score.get("width"), "room for 'Bewertung'")

    def test_scores_empty_where_not_answered_or_not_asked(self):
        columns = self.history_list()
        score = columns.xpath("./field[@name='score']")[0]
        csat = columns.xpath("./field[@name='csat_score']")[0]
        # a survey not sent yet, or sent and not answered
        self.assertTrue(cell_hidden(csat, csat_score=0, nps_category=False))
        self.assertTrue(cell_hidden(score, csat_score=0, nps_category=False))
        # answered with an NPS of 0 and no CSAT asked
        self.assertFalse(cell_hidden(score, csat_score=0, nps_category="detractor"))
        self.assertTrue(cell_hidden(csat, csat_score=0, nps_category="detractor"))
        self.assertFalse(cell_hidden(csat, csat_score=4, nps_category="promoter"))

    def test_newest_first(self):
        """By when each survey was sent, else is due (the upcoming ones on
        top), whatever the order they were recorded in."""
        schedule = self.env["nps.schedule"]

        def survey(**values):
            return schedule._nps_create_requests(
                [
                    {
                        "campaign_id": self.campaign.id,
                        "partner_id": self.customer_a.id,
                        "state": "sent",
                        **values,
                    }
                ]
            )

        last_week = survey(sent_date=self.past(7))
        last_year = survey(sent_date=self.past(300))
        followup = survey(sent_date=self.past(40))
        upcoming = survey(state="scheduled", scheduled_date=self.past(-3))
        expected = upcoming | last_week | followup | last_year
        self.assertEqual(self.customer_a.nps_history_ids.ids, expected.ids)
        self.assertEqual(
            self.company_a.with_user(self.nps_user).nps_history_ids.ids, expected.ids
        )


@tagged("post_install", "-at_install")
class TestDashboardFollowupList(NpsCase):
    """Regression: on the dashboard's *Follow-ups awaiting action*, the
    comment took the width and cut the customer and the account manager
    ("Northgat…", "Account man…")."""

    def test_names_keep_their_room(self):
        arch = arch_of(self.env(user=self.nps_user), "nps.dashboard")
        columns = arch.xpath("//field[@name='followup_ids']/list")[0]
        for name in ("commercial_partner_id", "user_id"):
            node = columns.xpath(f"./field[@name='{name}']")[0]
            self.assertTrue(node.get("width"), f"{name} is never squeezed")
        comment = columns.xpath("./field[@name='comment']")[0]
        self.assertFalse(comment.get("width"), "the comment takes the room left")
        self.assertEqual(comment.get("optional"), "show", "and may be hidden")
        score = columns.xpath("./field[@name='score']")[0]
        self.assertTrue(cell_hidden(score, nps_category=False), "an alert's case")


@tagged("post_install", "-at_install")
class TestCampaignListFigures(NpsCase):
    """Regression: the campaign list said NPS 0.0 for a campaign without an
    answer and CSAT 0.0 for campaigns that never ask it; an NPS of 0 is a
    real figure, so a figure without answers is left empty."""

    def campaign_list(self):
        arch = arch_of(self.env(user=self.manager), "nps.campaign", "list")
        return {node.get("name"): node for node in arch.xpath("//list/field")}

    def row(self, campaign):
        names = ("sent_count", "nps_answer_count", "csat_answer_count")
        return {name: campaign[name] for name in names}

    def test_no_answer_no_figure(self):
        campaign = self.campaign.copy({"name": "Not sent yet"})
        columns = self.campaign_list()
        row = self.row(campaign)
        self.assertEqual(row, dict.fromkeys(row, 0))
        for name in ("nps", "csat", "response_rate"):
            self.assertTrue(cell_hidden(columns[name], **row), name)

    def test_nps_of_zero_shown_csat_not_asked_empty(self):
        self.campaign.measure = "nps"
        for customer, score in ((self.customer_a, 10), (self.customer_b, 2)):
            self.sent_request(customer)._nps_record_answer(score=score)
        columns = self.campaign_list()
        self.assertEqual(self.campaign.nps, 0.0)
        row = self.row(self.campaign)
        self.assertEqual(row["nps_answer_count"], 2)
        self.assertFalse(cell_hidden(columns["nps"], **row), "an NPS of 0 is shown")
        self.assertFalse(cell_hidden(columns["response_rate"], **row))
        self.assertTrue(cell_hidden(columns["csat"], **row), "no CSAT asked")

    def test_csat_shown_once_answered(self):
        self.campaign.measure = "both"
        self.sent_request()._nps_record_answer(score=9, csat_score=5)
        row = self.row(self.campaign)
        self.assertEqual((row["nps_answer_count"], row["csat_answer_count"]), (1, 1))
        self.assertFalse(cell_hidden(self.campaign_list()["csat"], **row))


@tagged("post_install", "-at_install")
class TestAccountManagerLinks(NpsCase):
    """An account manager with only *Internal User* rights opens a survey
    from his case and its campaign: no field or button there leads to an
    access error (the survey answer, the sending wizard)."""

    def test_no_link_he_cannot_open(self):
        manager = new_test_user(
            self.env, login="links_am", groups="base.group_user", name="Links AM"
        )
        request_form = (
            self.env["nps.request"]
            .with_user(manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="user_input_id"', request_form)
        campaign_form = (
            self.env["nps.campaign"]
            .with_user(manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="action_send_survey"', campaign_form)
        # a satisfaction user still sends
        self.assertIn(
            'name="action_send_survey"',
            self.env["nps.campaign"]
            .with_user(self.nps_user)
            .get_views([(False, "form")])["views"]["form"]["arch"],
        )
