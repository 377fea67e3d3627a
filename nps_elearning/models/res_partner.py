import base64
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize

from odoo.addons.nps_satisfaction.tools import qr_tools, token_tools

from .slide_channel_partner import TOKEN_GROUPS

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"

    nps_onboarding_ids = fields.One2many(
        comodel_name="slide.channel.partner",
        inverse_name="partner_id",
        string="Onboarding courses",
        domain=[("nps_onboarding", "=", True), ("nps_source", "!=", False)],
    )
    nps_onboarding_all_ids = fields.Many2many(
        comodel_name="slide.channel.partner",
        string="Onboarding progress",
        compute="_compute_nps_onboarding",
        help="The onboarding courses of this contact; for a company, those of "
        "all its contacts.",
    )
    nps_onboarding_enrolled_count = fields.Integer(
        string="Enrolled learners", compute="_compute_nps_onboarding"
    )
    nps_onboarding_completed_count = fields.Integer(
        string="Learners who completed",
        compute="_compute_nps_onboarding",
        help="Enrolled learners who completed every onboarding course they follow.",
    )
    nps_onboarding_completion_rate = fields.Float(
        string="Onboarding completed (%)",
        compute="_compute_nps_onboarding",
        digits=(16, 0),
        help="Share of the enrolled learners who completed their onboarding.",
    )
    nps_onboarding_stalled_count = fields.Integer(
        string="Stalled learners", compute="_compute_nps_onboarding"
    )
    nps_onboarding_token = fields.Char(
        string="Company onboarding token",
        copy=False,
        readonly=True,
        groups=TOKEN_GROUPS,
    )
    nps_onboarding_join_url = fields.Char(
        string="Company onboarding link",
        compute="_compute_nps_onboarding_join_url",
        groups=TOKEN_GROUPS,
        help="Anyone with this link can join the company's onboarding courses.",
    )
    nps_onboarding_join_qr = fields.Binary(
        string="Company onboarding QR code",
        compute="_compute_nps_onboarding_join_url",
        groups=TOKEN_GROUPS,
    )

    _unique_nps_onboarding_token = models.Constraint(
        "UNIQUE(nps_onboarding_token)", "A company onboarding link must be unique."
    )

    def _compute_nps_onboarding(self):
        members_sudo = self.env["slide.channel.partner"].sudo()
        companies = self.filtered(lambda p: p.id and p.is_company)
        members = members_sudo.search(
            [
                ("nps_onboarding", "=", True),
                ("nps_source", "!=", False),
                "|",
                ("partner_id", "in", self.ids),
                ("nps_commercial_partner_id", "in", companies.ids),
            ]
        )
        for partner in self:
            own = members.filtered(
                lambda m, p=partner: m.partner_id == p
                or (p.is_company and m.nps_commercial_partner_id == p)
            )
            partner.nps_onboarding_all_ids = own
            by_learner = own.grouped("partner_id")
            done = [
                learner
                for learner, courses in by_learner.items()
                if all(c.member_status == "completed" for c in courses)
            ]
            partner.nps_onboarding_enrolled_count = len(by_learner)
            partner.nps_onboarding_completed_count = len(done)
            partner.nps_onboarding_completion_rate = (
                100.0 * len(done) / len(by_learner) if by_learner else 0.0
            )
            partner.nps_onboarding_stalled_count = len(
                own.filtered(
                    lambda m: m.nps_stalled and m.member_status != "completed"
                ).partner_id
            )

    @api.depends("nps_onboarding_token")
    def _compute_nps_onboarding_join_url(self):
        for partner in self:
            token = partner.sudo().nps_onboarding_token
            if token:
                url = f"{partner.get_base_url()}/onboarding/join/{token}"
                partner.nps_onboarding_join_url = url
                partner.nps_onboarding_join_qr = base64.b64encode(
                    qr_tools.qr_image(url, "png")[0]
                )
            else:
                partner.nps_onboarding_join_url = False
                partner.nps_onboarding_join_qr = False

    # --- Enrolment when a company gains a service ---

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        gained = {
            partner: partner.nps_service_type_ids
            for partner in partners
            if partner.nps_service_type_ids
        }
        self._nps_enrol_new_services(gained)
        return partners

    def write(self, vals):
        if "nps_service_type_ids" not in vals:
            return super().write(vals)
        before = {partner.id: partner.nps_service_type_ids for partner in self}
        result = super().write(vals)
        gained = {
            partner: partner.nps_service_type_ids - before[partner.id]
            for partner in self
        }
        self._nps_enrol_new_services(
            {partner: types for partner, types in gained.items() if types}
        )
        return result

    @api.model
    def _nps_enrol_new_services(self, gained, source="service"):
        """Enrol the contacts of the customers that gained services in the
        onboarding courses of those services (``{partner: service types}``)."""
        if not gained:
            return self.env["slide.channel.partner"].sudo()
        courses = (
            self.env["slide.channel"].sudo().search([("nps_onboarding", "=", True)])
        )
        if not courses:
            return self.env["slide.channel.partner"].sudo()
        wanted = {}
        for partner, service_types in gained.items():
            matching = courses._nps_matching(service_types)
            if matching:
                customer = partner.commercial_partner_id
                wanted.setdefault(customer, courses.browse())
                wanted[customer] |= matching
        return self.env["slide.channel"]._nps_enrol_customers(wanted, source)

    # --- Learners and their access ---

    def _nps_onboarding_learners(self):
        """The learners of this customer: its contacts with an email; a
        customer without such contacts learns itself if it has an email."""
        self.ensure_one()
        customer = self.commercial_partner_id
        contacts = customer.child_ids.filtered(
            lambda c: c.type == "contact"
            and c.active
            and email_normalize(c.email or "")
        )
        if contacts:
            return contacts
        return customer if email_normalize(customer.email or "") else self.browse()

    def _nps_ensure_portal_user(self):
        """Give each of these contacts a portal user when it has none (no
        password, no signup email: the personal link signs it in). A contact
        whose email is already another user's login gets none."""
        users_sudo = self.env["res.users"].sudo().with_context(no_reset_password=True)
        created = users_sudo
        for partner in self.sudo():
            if partner.with_context(active_test=False).user_ids:
                continue
            login = email_normalize(partner.email or "")
            if not login:
                continue
            if users_sudo.with_context(active_test=False).search_count(
                [("login", "=", login)], limit=1
            ):
                _logger.info(
                    "Onboarding: no portal user for partner %s, login taken",
                    partner.id,
                )
                continue
            company = partner.company_id or self.env.company
            created |= users_sudo._create_user_from_template(
                {
                    "login": login,
                    "email": partner.email,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                }
            )
        return created

    def _nps_onboarding_courses(self):
        """The onboarding courses of this customer: those of its services,
        and those its contacts already follow (e.g. of its project)."""
        self.ensure_one()
        customer = self.commercial_partner_id
        courses = (
            self.env["slide.channel"].sudo().search([("nps_onboarding", "=", True)])
        )
        followed = (
            self.env["slide.channel.partner"]
            .sudo()
            .search(
                [
                    ("nps_onboarding", "=", True),
                    ("nps_source", "!=", False),
                    ("nps_commercial_partner_id", "=", customer.id),
                ]
            )
            .channel_id
        )
        return courses._nps_matching(customer.nps_service_type_ids) | followed

    def _nps_join_onboarding(self, name, email, lang=None):
        """Someone joins this company's onboarding with the company link:
        find the company's contact with this email or create it, enrol it in
        the company's courses and email its personal links. Return the
        contact's memberships (sudo)."""
        self.ensure_one()
        customer_sudo = self.sudo().commercial_partner_id
        courses = customer_sudo._nps_onboarding_courses()
        contact = customer_sudo.child_ids.filtered(
            lambda c: c.email_normalized == email
        )[:1]
        if not contact:
            contact = (
                self.env["res.partner"]
                .sudo()
                .create(
                    {
                        "name": name,
                        "email": email,
                        "parent_id": customer_sudo.id,
                        "type": "contact",
                        "lang": lang or customer_sudo.lang,
                    }
                )
            )
        members_sudo = self.env["slide.channel.partner"].sudo()
        existing = members_sudo.search(
            [("channel_id", "in", courses.ids), ("partner_id", "=", contact.id)]
        )
        new = self.env["slide.channel"]._nps_enrol(
            {course: contact for course in courses}, "company_link"
        )
        # already enrolled: send the personal links again, to that address only
        existing._nps_send_invitation()
        return existing | new

    def _nps_portal_user(self):
        """The share user that the personal link may sign in, if any."""
        self.ensure_one()
        users = self.sudo().user_ids
        return users.filtered(lambda u: u.share and u.active)[:1]

    # --- Actions ---

    def _nps_check_onboarding_rights(self):
        """The onboarding buttons write with sudo: only those who see them
        (satisfaction users, eLearning officers) may press them."""
        user = self.env.user
        if not self.env.su and not (
            user.has_group("nps_satisfaction.group_nps_user")
            or user.has_group("website_slides.group_website_slides_officer")
        ):
            raise AccessError(
                self.env._(
                    "Only satisfaction users and eLearning officers manage "
                    "customers' onboarding."
                )
            )
        self.check_access("read")

    def action_nps_onboarding_link(self):
        """Create the company's dedicated onboarding link (once)."""
        self._nps_check_onboarding_rights()
        for partner in self.sudo():
            if not partner.is_company:
                raise UserError(
                    self.env._("The onboarding link is given to customer companies.")
                )
            if not partner.nps_onboarding_token:
                partner.nps_onboarding_token = token_tools.new_token()
        return True

    def action_nps_onboarding_link_reset(self):
        """Replace the company's link: the previous one stops working."""
        self._nps_check_onboarding_rights()
        for partner in self.sudo():
            partner.nps_onboarding_token = token_tools.new_token()
        return True

    def action_nps_onboarding_enrol(self):
        """Enrol this customer's contacts in the onboarding courses of its
        services now (those already enrolled are left as they are)."""
        self._nps_check_onboarding_rights()
        customers = self.commercial_partner_id
        self._nps_enrol_new_services(
            {customer: customer.nps_service_type_ids for customer in customers},
            source="manual",
        )
        return True

    def action_view_nps_onboarding(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_elearning.action_nps_onboarding_members"
        )
        action["domain"] = [
            ("nps_onboarding", "=", True),
            ("nps_source", "!=", False),
            ("nps_commercial_partner_id", "=", self.commercial_partner_id.id),
        ]
        action["context"] = {}
        return action
