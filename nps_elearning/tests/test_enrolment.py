from odoo import fields
from odoo.tests import tagged

from .common import OnboardingCase

INVITATION = "nps_elearning.mail_template_onboarding_invitation"


@tagged("post_install", "-at_install")
class TestEnrolment(OnboardingCase):
    def test_project_done_enrols_contacts_with_email_once(self):
        self.company_a.nps_service_type_ids = self.pbx
        self.assertEqual(
            self.members(self.course_pbx).partner_id,
            self.alice | self.arthur,
            "gaining the service enrols the contacts with an email",
        )
        self.members().unlink()
        self.env["mail.mail"].sudo().search([]).unlink()

        project = self.make_project(self.alice)
        project.stage_id = self.stage_done
        members = self.members()
        self.assertEqual(
            members.partner_id,
            self.alice | self.arthur,
            "the company's contacts with an email are enrolled, the other not",
        )
        self.assertEqual(
            members.channel_id, self.course_pbx, "only the courses of its services"
        )
        self.assertEqual(set(members.mapped("nps_source")), {"project"})
        self.assertEqual(set(members.mapped("member_status")), {"joined"})
        tokens = members.mapped("nps_access_token")
        self.assertEqual(len(set(tokens)), 2, "one token per enrolment")
        self.assertTrue(all(len(token) >= 43 for token in tokens), ">= 256 bits")
        invitations = self.mails(INVITATION)
        self.assertEqual(len(invitations), 2, "one invitation per new member")
        alice_mail = invitations.filtered(lambda m: self.alice in m.recipient_ids)
        alice_member = members.filtered(lambda m: m.partner_id == self.alice)
        self.assertIn(alice_member.nps_access_url, alice_mail.body_html)
        self.assertIn(f"{alice_member.nps_access_url}/qr", alice_mail.body_html)
        self.assertFalse(
            (self.alice | self.arthur).user_ids,
            "no account before the learner signs up with Odoo's own sign-up",
        )
        self.assertTrue(
            all(member.nps_access_expiry > fields.Datetime.now() for member in members),
            "each link has its end",
        )

        # back and done again, and a second finished project: nothing new
        project.stage_id = self.stage_open
        project.stage_id = self.stage_done
        self.make_project(self.arthur).stage_id = self.stage_done
        self.assertEqual(self.members(), members, "re-running never enrols twice")
        self.assertEqual(len(self.mails(INVITATION)), 2, "nor invites twice")

    def test_project_of_customer_without_service_enrols_nobody(self):
        self.make_project(self.bob).stage_id = self.stage_done
        self.assertFalse(self.members())

    def test_removed_member_is_not_enrolled_again(self):
        self.company_a.nps_service_type_ids = self.pbx
        member = self.members(self.course_pbx, self.alice)
        member.action_archive()
        self.make_project(self.alice).stage_id = self.stage_done
        member.invalidate_recordset()
        self.assertFalse(member.active, "an archived enrolment stays archived")
        self.assertEqual(len(self.members(self.course_pbx, self.alice)), 1)

    def test_gaining_a_service_enrols_in_its_courses_only(self):
        self.company_a.nps_service_type_ids = self.sip
        self.assertEqual(self.members().channel_id, self.course_sip)
        self.assertEqual(set(self.members().mapped("nps_source")), {"service"})
        first = self.members()
        self.company_a.write({"nps_service_type_ids": [(4, self.fibre.id)]})
        self.assertEqual(self.members(), first, "a service without course: none")
        self.company_a.write({"nps_service_type_ids": [(4, self.pbx.id)]})
        self.assertEqual(
            (self.members() - first).channel_id,
            self.course_pbx,
            "the new service's course only",
        )
        self.assertEqual(len(self.members()), 4)

    def test_customer_created_with_a_service_is_enrolled(self):
        person = self.env["res.partner"].create(
            {
                "name": "Carl Solo",
                "email": "carl@solo.example.com",
                "nps_service_type_ids": [(6, 0, self.sip.ids)],
            }
        )
        self.assertEqual(
            self.members().partner_id, person, "a person without contacts learns"
        )

    def test_template_course_only_for_projects_of_its_template(self):
        template = self.env["project.project"].create(
            {"name": "PBX installation template", "is_template": True}
        )
        course = self.make_course(
            "PBX installation follow-up",
            self.pbx,
            ["Your installation"],
            nps_project_template_id=template.id,
        )
        self.company_a.nps_service_type_ids = self.pbx
        self.assertNotIn(
            course, self.members().channel_id, "not enrolled on the service alone"
        )
        self.make_project(self.alice).stage_id = self.stage_done
        self.assertNotIn(course, self.members().channel_id, "another project: no")
        project = template.action_create_from_template({"partner_id": self.alice.id})
        if isinstance(project, dict):
            project = self.env["project.project"].browse(project["res_id"])
        self.assertEqual(project.nps_template_id, template)
        project.stage_id = self.stage_done
        self.assertEqual(
            self.members(course).partner_id,
            self.alice | self.arthur,
            "a project of the template enrols in its course",
        )

    def test_internal_user_contact_gets_no_portal_user(self):
        self.env["res.users"].create(
            {
                "name": "Alice Internal",
                "login": "alice-internal",
                "partner_id": self.alice.id,
                "group_ids": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        self.company_a.nps_service_type_ids = self.pbx
        self.assertEqual(len(self.alice.user_ids), 1, "no second user")
        self.assertFalse(self.alice.user_ids.share)
