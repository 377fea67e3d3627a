from odoo.tests import new_test_user, tagged

from .common import NpsCase

#: the situations a customer can be in, each with the reason the policy
#: gives for it
SITUATIONS = {
    "no_email": "no_email",
    "internal_requester": "internal_requester",
    "customer_opt_out": "customer_opt_out",
    "company_opt_out": "customer_opt_out",
    "blacklisted": "blacklisted",
    "throttled": "throttled",
}

#: what each path decides in each situation, where it differs from the
#: situation's reason: a reminder belongs to a survey already sent (the quiet
#: period does not apply to it); the post-installation and follow-up
#: campaigns ignore the quiet period by configuration
EXCEPTIONS = {
    ("reminder by email", "throttled"): False,
    ("reminder by SMS", "throttled"): False,
    ("project done", "throttled"): False,
    ("follow-up survey", "throttled"): False,
}


class SendPolicyCase(NpsCase):
    """A fresh customer company and contact per cell; ``situation(name,
    contact, sms)`` puts the contact in a situation."""

    def fresh_contact(self, sms=False, standalone=False):
        """A contact of a new company, or (``standalone``) a new company."""
        self.cell += 1
        values = {"name": f"Policy contact {self.cell}", "is_company": standalone}
        if not standalone:
            values["parent_id"] = (
                self.env["res.partner"]
                .create({"name": f"Policy company {self.cell}", "is_company": True})
                .id
            )
        if sms:
            values["phone"] = f"+32 470 00 {self.cell:02d} 00"
        else:
            values["email"] = f"policy{self.cell}@example.com"
        return self.env["res.partner"].create(values)

    def situation(self, name, contact, sms=False):
        if name == "no_email":
            if sms:
                contact.phone = False
            else:
                contact.email = False
        elif name == "internal_requester":
            new_test_user(
                self.env,
                login=f"policy_user_{self.cell}",
                groups="base.group_user",
                partner_id=contact.id,
            )
        elif name == "customer_opt_out":
            contact.nps_opt_out = True
        elif name == "company_opt_out":
            contact.commercial_partner_id.nps_opt_out = True
        elif name == "blacklisted":
            if sms:
                self.env["phone.blacklist"].sudo().add(
                    contact._phone_format(fname="phone")
                )
            else:
                self.env["mail.blacklist"].sudo()._add(contact.email)
        elif name == "throttled":
            colleague = self.env["res.partner"].create(
                {
                    "name": f"Colleague {self.cell}",
                    "parent_id": contact.commercial_partner_id.id,
                    "email": f"colleague{self.cell}@example.com",
                }
            )
            self.env["nps.request"].sudo().create(
                {
                    "campaign_id": self.campaign.id,
                    "partner_id": colleague.id,
                    "state": "sent",
                    "sent_date": self.past(0),
                }
            )

    # --- Paths: each puts the contact in the situation where its decision
    # is taken, and returns the reason decided (False: the survey goes) ---

    def path_ticket_closed(self, name):
        contact = self.fresh_contact()
        self.situation(name, contact)
        request = self.close(self.make_tickets(contact))
        return request.skip_reason or False

    def path_project_done(self, name):
        contact = self.fresh_contact()
        self.situation(name, contact)
        project = self.env["project.project"].create(
            {"name": f"Installation {self.cell}", "partner_id": contact.id}
        )
        project.stage_id = self.env.ref("project.project_project_stage_2")
        return project.nps_request_ids.skip_reason or False

    def path_periodic(self, name):
        contact = self.fresh_contact(standalone=True)
        self.situation(name, contact)
        campaign = self.campaign.copy(
            {
                "name": f"Relationship {self.cell}",
                "trigger": "periodic",
                "period_months": 1,
                "partner_domain": f"[('id', '=', {contact.id})]",
                "ticket_stage_ids": [(5, 0, 0)],
            }
        )
        request = self.env["nps.schedule"]._nps_schedule_periodic(campaign)
        self.assertEqual(len(request), 1)
        return request.skip_reason or False

    def path_manual(self, name):
        contact = self.fresh_contact()
        self.situation(name, contact)
        self.env["nps.campaign.send"].create(
            {"campaign_id": self.campaign.id, "partner_ids": [(6, 0, contact.ids)]}
        ).action_send()
        request = self.env["nps.request"].search([("partner_id", "=", contact.id)])
        return request.skip_reason or False

    def path_followup_survey(self, name):
        contact = self.fresh_contact()
        contact.parent_id.user_id = self.account_manager
        detractor = self.sent_request(contact)
        detractor._nps_record_answer(score=2)
        self.situation(name, contact)
        self.close_case(detractor, "Called")
        survey = self.env["nps.request"].search(
            [("origin_request_id", "=", detractor.id)]
        )
        self.assertEqual(len(survey), 1)
        return survey.skip_reason or False

    def _dispatch(self, name, sms):
        contact = self.fresh_contact(sms=sms)
        request = self.close(self.make_tickets(contact))
        self.assertEqual(request.state, "scheduled")
        self.assertEqual(request.channel, "sms" if sms else "email")
        self.situation(name, contact, sms=sms)
        request.scheduled_date = self.past(1)
        self.dispatch()
        if request.state == "sent":
            return False
        self.assertEqual(request.state, "skipped")
        return request.skip_reason

    def path_dispatch_by_email(self, name):
        return self._dispatch(name, sms=False)

    def path_dispatch_by_sms(self, name):
        return self._dispatch(name, sms=True)

    def _reminder(self, name, sms):
        contact = self.fresh_contact(sms=sms)
        request = self.close(self.make_tickets(contact))
        self.dispatch()
        self.assertEqual(request.state, "sent")
        self.situation(name, contact, sms=sms)
        request.sent_date = self.past(self.campaign.reminder_delay_days + 1)
        self.env["nps.dispatch"]._cron_remind()
        if request.reminder_stop_reason:
            self.assertEqual(request.reminder_count, 0, "no reminder went")
            return request.reminder_stop_reason
        self.assertEqual(request.reminder_count, 1, "the reminder went")
        return False

    def path_reminder_by_email(self, name):
        return self._reminder(name, sms=False)

    def path_reminder_by_sms(self, name):
        return self._reminder(name, sms=True)


@tagged("post_install", "-at_install")
class TestSendPolicy(SendPolicyCase):
    """Every path that sends a survey asks the one send policy: the same
    situation gets the same answer on each."""

    PATHS = {
        "ticket closed": "path_ticket_closed",
        "project done": "path_project_done",
        "periodic campaign": "path_periodic",
        "manual campaign": "path_manual",
        "follow-up survey": "path_followup_survey",
        "dispatch by email": "path_dispatch_by_email",
        "dispatch by SMS": "path_dispatch_by_sms",
        "reminder by email": "path_reminder_by_email",
        "reminder by SMS": "path_reminder_by_sms",
    }

    def setUp(self):
        super().setUp()
        self.cell = 0
        self.campaign.max_reminders = 1

    def test_every_path_against_every_reason(self):
        wrong = []
        for path, method in self.PATHS.items():
            for name, reason in SITUATIONS.items():
                expected = EXCEPTIONS.get((path, name), reason)
                with self.subTest(path=path, situation=name):
                    with self.env.cr.savepoint(flush=False) as savepoint:
                        got = getattr(self, method)(name)
                        savepoint.rollback()
                    self.env.invalidate_all()
                    if got != expected:
                        wrong.append(f"{path} / {name}: {got!r}, expected {expected!r}")
        self.assertFalse(wrong, "the send policy differs:\n" + "\n".join(wrong))

    def test_every_path_sends_when_nothing_stands_in_the_way(self):
        for path, method in self.PATHS.items():
            with self.subTest(path=path):
                self.assertFalse(getattr(self, method)(None), path)


@tagged("post_install", "-at_install")
class TestHolds(NpsCase):
    """A survey held by the customer's other open ticket or follow-up has an
    end, and never throttles the customer's other surveys."""

    def held_request(self):
        self.make_tickets(self.customer_a2)  # another ticket, still open
        request = self.close(self.make_tickets(self.customer_a))
        request.scheduled_date = self.past(1)
        self.assertFalse(self.dispatch(), "held by the open ticket")
        self.assertEqual(request.hold_reason, "open_ticket")
        self.assertTrue(request.held_since)
        return request

    def test_hold_ends_by_sending_after_the_longest_wait(self):
        self.campaign.hold_max_days = 5
        request = self.held_request()
        request.write({"held_since": self.past(3), "scheduled_date": self.past(0)})
        self.assertFalse(self.dispatch(), "still waiting within 5 days")
        request.write({"held_since": self.past(6), "scheduled_date": self.past(0)})
        self.assertEqual(self.dispatch(), request, "sent after the longest wait")
        self.assertIn("Sent after waiting 5 days", request.skip_note)
        self.assertFalse(request.held_since)

    def test_hold_ends_by_skipping_when_the_campaign_says_so(self):
        self.campaign.write({"hold_max_days": 5, "hold_expiry": "skip"})
        request = self.held_request()
        request.write({"held_since": self.past(6), "scheduled_date": self.past(0)})
        self.dispatch()
        self.assertEqual(
            (request.state, request.skip_reason), ("skipped", "hold_expired")
        )

    def test_held_survey_does_not_throttle_other_surveys(self):
        self.held_request()
        other = self.close(self.make_tickets(self.customer_a2))
        self.assertEqual(other.state, "scheduled", "the held survey throttles nothing")

    def test_hold_released_when_settled(self):
        request = self.held_request()
        self.env["helpdesk.ticket"].search(
            [("partner_id", "=", self.customer_a2.id)]
        ).unlink()
        request.scheduled_date = self.past(0)
        self.assertEqual(self.dispatch(), request, "sent once settled")
        self.assertFalse(request.held_since or request.hold_reason)

    def test_hold_by_open_followup(self):
        detractor = self.sent_request(self.customer_a)
        detractor._nps_record_answer(score=1)
        detractor.sent_date = self.past(60)
        request = self.close(self.make_tickets(self.customer_a2))
        request.scheduled_date = self.past(1)
        self.assertFalse(self.dispatch())
        self.assertEqual(request.hold_reason, "open_followup")


@tagged("post_install", "-at_install")
class TestEveryDocumentGetsItsRequest(NpsCase):
    def test_project_without_company(self):
        """Regression: a finished project with no company got no survey."""
        self.campaign_project.company_id = self.env.company
        project = self.env["project.project"].create(
            {"name": "No company", "partner_id": self.customer_b.id}
        )
        project.company_id = False
        project.stage_id = self.env.ref("project.project_project_stage_2")
        request = project.nps_request_ids
        self.assertEqual(len(request), 1, "a survey for the project")
        self.assertEqual(request.state, "scheduled")
        self.assertEqual(request.company_id, self.env.company, "the campaign's company")

    def test_document_of_another_company_says_why(self):
        other = self.env["res.company"].create({"name": "Other Telco"})
        self.campaign.company_id = self.env.company
        self.env["nps.campaign"].search(
            [("trigger", "=", "ticket_closed"), ("id", "!=", self.campaign.id)]
        ).active = False
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Other support", "company_id": other.id}
        )
        ticket = self.make_tickets(
            self.customer_b, company_id=other.id, team_id=team.id
        )
        self.assertEqual(ticket.company_id, other)
        request = self.close(ticket)
        self.assertEqual(
            (request.state, request.skip_reason), ("skipped", "other_company")
        )

    def test_ticket_created_closed(self):
        """Regression: a ticket created directly in a closed stage got
        nothing."""
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Fixed on the phone",
                "description": "Recorded after the call",
                "partner_id": self.customer_b.id,
                "team_id": self.team.id,
                "stage_id": self.stage_done.id,
            }
        )
        self.assertEqual(ticket.nps_request_ids.state, "scheduled")

    def test_history_is_not_surveyed(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_context(nps_history=True)
            .create(
                {
                    "name": "Imported",
                    "description": "From the old system",
                    "partner_id": self.customer_b.id,
                    "stage_id": self.stage_done.id,
                }
            )
        )
        self.assertFalse(ticket.nps_request_ids)
