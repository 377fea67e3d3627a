import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_domain_extract, email_normalize

from odoo.addons.nps_satisfaction.tools import qr_tools, token_tools

from .nps_onboarding_join import PUBLIC_MAIL_DOMAINS
from .slide_channel_partner import TOKEN_GROUPS


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

    nps_onboarding_join_active = fields.Boolean(
        string="Company link on",
        readonly=True,
        groups=TOKEN_GROUPS,
        help="Switched off, the company link answers that it no longer works.",
    )
    nps_onboarding_join_limit = fields.Integer(
        string="Joins per day",
        default=10,
        groups=TOKEN_GROUPS,
        help="At most this many requests to join through the company link in "
        "a day; past it, the link asks to try again later.",
    )
    nps_onboarding_domains = fields.Char(
        string="Known email domains",
        groups=TOKEN_GROUPS,
        help="Who joins through the company link with an address of one of "
        "these domains (separated by commas) is admitted to the courses at "
        "once; anyone else waits for the account manager's approval. Filled "
        "with the domains of the customer's contacts when the link is "
        "created; public mail providers never count.",
    )
    nps_learner_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Onboarding learner of",
        index="btree_not_null",
        ondelete="set null",
        help="Joined this customer's onboarding through its company link: "
        "follows its courses, but is not its contact and reads nothing else "
        "of it (make it a contact of the customer to give that).",
    )
    nps_onboarding_opt_out = fields.Boolean(
        string="No onboarding emails",
        help="The contact unsubscribed from the onboarding invitations and reminders.",
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
        learners = self.search([("nps_learner_customer_id", "=", customer.id)])
        if contacts or learners:
            return contacts | learners
        return customer if email_normalize(customer.email or "") else self.browse()

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

    def _nps_onboarding_contact(self, email):
        """The person of this customer using ``email`` (normalised): one of
        its contacts (an internal user made it so) or one of its learners."""
        self.ensure_one()
        customer = self.sudo().commercial_partner_id
        people = customer.child_ids | self.sudo().search(
            [("nps_learner_customer_id", "=", customer.id)]
        )
        return people.filtered(lambda p: p.email_normalized == email)[:1]

    def _nps_onboarding_learner(self, name, email, lang=None):
        """A new learner of this customer: a person of its own, not a contact
        of the customer (so Odoo's portal rules, which follow the commercial
        partner, show it none of the customer's documents or contacts)."""
        self.ensure_one()
        customer = self.sudo().commercial_partner_id
        return self.sudo().create(
            {
                "name": name,
                "email": email,
                "lang": lang or customer.lang,
                "nps_learner_customer_id": customer.id,
                "company_id": customer.company_id.id,
            }
        )

    def _nps_onboarding_domain_set(self):
        """The customer's known email domains, public mail providers left out."""
        self.ensure_one()
        text = self.sudo().commercial_partner_id.nps_onboarding_domains or ""
        domains = {
            d.strip().lstrip("@").lower() for d in text.replace(";", ",").split(",")
        }
        return domains - PUBLIC_MAIL_DOMAINS - {""}

    def _nps_onboarding_default_domains(self):
        """The domains of the customer's own address and of its contacts'."""
        self.ensure_one()
        customer = self.sudo().commercial_partner_id
        domains = {
            email_domain_extract(p.email_normalized)
            for p in customer | customer.child_ids
            if p.email_normalized
        }
        return ", ".join(sorted(domains - PUBLIC_MAIL_DOMAINS - {False, ""}))

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
                partner.write(
                    {
                        "nps_onboarding_token": token_tools.new_token(),
                        "nps_onboarding_join_active": True,
                        "nps_onboarding_domains": partner.nps_onboarding_domains
                        or partner._nps_onboarding_default_domains(),
                    }
                )
        return True

    def action_nps_onboarding_link_reset(self):
        """Replace the company's link: the previous one stops working."""
        self._nps_check_onboarding_rights()
        for partner in self.sudo():
            partner.write(
                {
                    "nps_onboarding_token": token_tools.new_token(),
                    "nps_onboarding_join_active": True,
                }
            )
        return True

    def action_nps_onboarding_link_off(self):
        """Switch the company link off: it answers that it no longer works."""
        self._nps_check_onboarding_rights()
        self.sudo().nps_onboarding_join_active = False
        return True

    def action_nps_onboarding_link_on(self):
        self._nps_check_onboarding_rights()
        self.sudo().filtered("nps_onboarding_token").nps_onboarding_join_active = True
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

    def action_nps_make_contact(self):
        """Make these learners contacts of the customer they joined: their
        portal accounts then read its documents and contacts, as any
        contact's do. An internal user's decision."""
        self.check_access("write")
        for learner in self.filtered("nps_learner_customer_id"):
            learner.write(
                {
                    "parent_id": learner.nps_learner_customer_id.id,
                    "nps_learner_customer_id": False,
                }
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
