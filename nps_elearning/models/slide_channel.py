from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SlideChannel(models.Model):
    _inherit = "slide.channel"

    nps_onboarding = fields.Boolean(
        string="Onboarding course",
        index=True,
        help="Customers subscribing to one of the course's services are "
        "enrolled when their installation is complete or when they gain the "
        "service, and receive a personal access link.",
    )
    nps_service_type_ids = fields.Many2many(
        comodel_name="nps.service.type",
        relation="nps_service_type_slide_channel_rel",
        column1="channel_id",
        column2="service_type_id",
        string="Services",
        help="Customers subscribing to one of these services follow this course.",
    )
    nps_project_template_id = fields.Many2one(
        comodel_name="project.project",
        string="Installation project template",
        domain=[("is_template", "=", True)],
        ondelete="set null",
        help="When set, the course is offered only at the completion of "
        "installation projects created from this template.",
    )
    nps_campaign_id = fields.Many2one(
        comodel_name="nps.campaign",
        string="Satisfaction survey",
        domain=[("trigger", "=", "course_completed")],
        ondelete="set null",
        help="The satisfaction campaign surveying a learner who completes the "
        "course; empty for no survey.",
    )
    nps_stall_days = fields.Integer(
        string="Stalled after (days)",
        default=14,
        help="A learner with no progress for this many days is stalled: the "
        "account manager gets an activity and the learner a reminder.",
    )
    nps_max_reminders = fields.Integer(
        string="Reminders at most",
        default=2,
        help="At most this many reminders to a stalled learner.",
    )

    @api.constrains("nps_stall_days", "nps_max_reminders")
    def _check_nps_onboarding_numbers(self):
        for course in self:
            if course.nps_stall_days < 1 or course.nps_max_reminders < 0:
                raise ValidationError(
                    self.env._(
                        "A course stalls after one day at least, and cannot "
                        "send a negative number of reminders."
                    )
                )

    @api.onchange("nps_onboarding")
    def _onchange_nps_onboarding(self):
        if self.nps_onboarding and not self.nps_campaign_id:
            self.nps_campaign_id = self.env.ref(
                "nps_elearning.campaign_course_completed", raise_if_not_found=False
            )

    # --- Enrolment ---

    def _nps_matching(self, service_types, template=None):
        """The onboarding courses among these for a customer with these
        services: a course bound to a project template matches only that
        template's projects (``template``); the others match on services."""
        template = template or self.env["project.project"]
        return self.filtered(
            lambda c: c.nps_onboarding
            and c.active
            and (
                (c.nps_project_template_id and c.nps_project_template_id == template)
                or (
                    not c.nps_project_template_id
                    and c.nps_service_type_ids & service_types
                )
            )
        )

    @api.model
    def _nps_enrol_customers(self, courses_by_customer, source):
        """Enrol the learners of each customer (a commercial partner) in its
        courses, once: a contact already in a course (even archived) is left
        alone. Create the portal users and queue the invitations.

        :param dict courses_by_customer: commercial partner -> slide.channel
        :param str source: how they came (see slide.channel.partner.nps_source)
        :return: the new memberships (sudo)
        """
        learners_by_course = {}
        for customer, courses in courses_by_customer.items():
            learners = customer._nps_onboarding_learners()
            for course in courses:
                learners_by_course.setdefault(course, self.env["res.partner"])
                learners_by_course[course] |= learners
        return self._nps_enrol(learners_by_course, source)

    @api.model
    def _nps_enrol(self, learners_by_course, source):
        """Enrol these contacts (``{course: res.partner}``), skipping the ones
        already members, and invite the new members. Return them (sudo)."""
        members_sudo = self.env["slide.channel.partner"].sudo()
        if not learners_by_course:
            return members_sudo
        courses = self.env["slide.channel"].browse(
            {course.id for course in learners_by_course}
        )
        partners = self.env["res.partner"].browse(
            {p.id for learners in learners_by_course.values() for p in learners}
        )
        existing = {
            (member.channel_id.id, member.partner_id.id)
            for member in members_sudo.with_context(active_test=False).search(
                [("channel_id", "in", courses.ids), ("partner_id", "in", partners.ids)]
            )
        }
        new_members = members_sudo
        for course, learners in learners_by_course.items():
            to_add = learners.filtered(lambda p, c=course: (c.id, p.id) not in existing)
            if to_add:
                new_members |= course.sudo()._action_add_members(to_add)
        if not new_members:
            return new_members
        new_members.write({"nps_source": source})
        new_members._nps_issue_link()
        new_members._nps_send_invitation()
        return new_members

    # --- Actions ---

    def action_view_nps_learners(self):
        """The course's onboarding learners, where their personal links are
        sent again or revoked."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_elearning.action_nps_onboarding_members"
        )
        action["domain"] = [
            ("nps_onboarding", "=", True),
            ("nps_source", "!=", False),
            ("channel_id", "=", self.id),
        ]
        action["context"] = {}
        return action
