from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_domain_extract

from odoo.addons.nps_satisfaction.tools import lock_tools, text_tools

#: the longest name kept of a request (the rest is cut), the longest address
#: taken (RFC 5321), and the name's share of the account manager's summary
MAX_NAME = 128
MAX_EMAIL = 254
MAX_SUMMARY_NAME = 60

#: addresses anyone can get: never a sign of belonging to a customer
PUBLIC_MAIL_DOMAINS = frozenset(
    [
        "aol.com",
        "free.fr",
        "gmail.com",
        "gmx.at",
        "gmx.ch",
        "gmx.de",
        "gmx.net",
        "googlemail.com",
        "hotmail.com",
        "hotmail.de",
        "hotmail.fr",
        "icloud.com",
        "laposte.net",
        "live.com",
        "live.de",
        "live.fr",
        "mac.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "msn.com",
        "orange.fr",
        "outlook.com",
        "outlook.de",
        "outlook.fr",
        "proton.me",
        "protonmail.com",
        "sfr.fr",
        "t-online.de",
        "wanadoo.fr",
        "web.de",
        "yahoo.com",
        "yahoo.de",
        "yahoo.fr",
        "yandex.com",
        "yandex.ru",
    ]
)


class NpsOnboardingJoin(models.Model):
    """Someone asked to join a customer's onboarding through its company
    link. A known person (a contact of the customer with that address) or an
    address of one of the customer's own domains is admitted at once; anyone
    else waits for the account manager's approval and gets nothing until
    then. Admitted people who are not contacts become *learners* of the
    customer (``res.partner.nps_learner_customer_id``), not its contacts: they
    follow its courses and read nothing else of it."""

    _name = "nps.onboarding.join"
    _description = "Request to join a customer's onboarding"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _rec_name = "name"

    customer_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    account_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Account manager",
        related="customer_id.nps_account_manager_id",
        store=True,
        index="btree_not_null",
        help="The customer's account manager of its satisfaction data, which "
        "only customer satisfaction users set (not its salesperson).",
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True, index=True)
    name = fields.Char(required=True, readonly=True)
    email = fields.Char(required=True, readonly=True, index=True)
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("pending", "Awaiting approval"),
            ("approved", "Admitted"),
            ("refused", "Refused"),
        ],
        string="Status",
        required=True,
        default="pending",
        readonly=True,
        index=True,
        tracking=True,
    )
    admitted_by = fields.Selection(
        selection=[
            ("contact", "Known contact"),
            ("domain", "Customer's email domain"),
            ("approval", "Approved"),
        ],
        string="Admitted as",
        readonly=True,
    )
    learner_id = fields.Many2one(
        comodel_name="res.partner",
        readonly=True,
        ondelete="set null",
        help="The contact or learner enrolled once admitted.",
    )
    decided_by_id = fields.Many2one(
        comodel_name="res.users", string="Decided by", readonly=True
    )
    decided_date = fields.Datetime(string="Decided on", readonly=True)

    # --- Names and addresses typed by visitors ---

    @api.model
    def _prepare_clean_values(self, values):
        """The name and the address as one line each (they become a
        learner's name, so a mail header, and an activity's summary), the
        name cut to its length."""
        values = dict(values)
        if "name" in values:
            values["name"] = text_tools.single_line(values["name"], MAX_NAME)
        if "email" in values:
            values["email"] = text_tools.single_line(values["email"])
        return values

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._prepare_clean_values(v) for v in vals_list])

    def write(self, vals):
        return super().write(self._prepare_clean_values(vals))

    @api.constrains("email")
    def _check_email(self):
        for join in self:
            if len(join.email or "") > MAX_EMAIL or " " in (join.email or ""):
                raise ValidationError(
                    self.env._("The email of a request to join must be one address.")
                )

    # --- The company link's door ---

    @api.model
    def _nps_join(self, customer, name, email, lang=None):
        """Someone posted ``name`` and ``email`` (normalised) to this
        customer's company link. Return the join request: admitted at once
        (and the personal links emailed to that address) or pending; the
        same request again when this address already waits; False when the
        link took its number of requests for the day (requests to one
        customer's link are taken one at a time, so parallel posts count)."""
        customer = customer.sudo().commercial_partner_id
        Join = self.sudo()
        lock_tools.take_turn(self.env.cr, customer._table, customer.id)
        pending = Join.search(
            [
                ("customer_id", "=", customer.id),
                ("email", "=", email),
                ("state", "=", "pending"),
            ],
            limit=1,
        )
        if pending:
            return pending
        if self._nps_joins_today(customer) >= customer.nps_onboarding_join_limit:
            return False
        join = Join.create(
            {
                "customer_id": customer.id,
                "name": name,
                "email": email,
                "lang": lang or customer.lang,
                "company_id": (customer.company_id or self.env.company).id,
            }
        )
        contact = customer._nps_onboarding_contact(email)
        if contact:
            join._nps_admit("contact", contact)
        elif email_domain_extract(email) in customer._nps_onboarding_domain_set():
            join._nps_admit("domain")
        else:
            join._nps_ask_approval()
        return join

    @api.model
    def _nps_joins_today(self, customer):
        """How many join requests this customer's link took in the last day."""
        return self.sudo().search_count(
            [
                ("customer_id", "=", customer.id),
                ("create_date", ">=", fields.Datetime.now() - timedelta(days=1)),
            ]
        )

    def _nps_admit(self, how, contact=None):
        """Enrol the person of each request in its customer's courses (a
        learner of the customer unless ``contact``) and email the personal
        links to the request's address."""
        for join in self.sudo():
            customer = join.customer_id
            learner = contact or customer._nps_onboarding_learner(
                join.name, join.email, join.lang
            )
            courses = customer._nps_onboarding_courses()
            members = self.env["slide.channel.partner"].sudo()
            existing = members.search(
                [("channel_id", "in", courses.ids), ("partner_id", "=", learner.id)]
            )
            self.env["slide.channel"]._nps_enrol(
                {course: learner for course in courses}, "company_link"
            )
            # already enrolled: the personal links again, to that address only
            existing._nps_send_invitation()
            join.write(
                {
                    "state": "approved",
                    "admitted_by": how,
                    "learner_id": learner.id,
                    "decided_by_id": how == "approval" and self.env.user.id,
                    "decided_date": fields.Datetime.now(),
                }
            )
            join.activity_ids.action_feedback(
                feedback=self.env._("Admitted to the onboarding.")
            )

    def _nps_ask_approval(self):
        """An activity for whoever may admit these people: the customer's
        account manager, else the responsible of one of its courses."""
        activity_type = self.env.ref(
            "nps_elearning.mail_activity_type_onboarding_join",
            raise_if_not_found=False,
        )
        for join in self.sudo():
            customer = join.customer_id
            user = (
                customer.nps_account_manager_id
                or customer._nps_onboarding_courses().user_id[:1]
            )
            if not user or not activity_type:
                continue
            # assigned by the system, in the account manager's language: the
            # visitor who asked is no user ("Public user has just assigned
            # you..." said nothing true)
            join_bot = join.with_user(SUPERUSER_ID).with_context(
                lang=user.lang or self.env.lang
            )
            join_bot.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=user.id,
                summary=join_bot.env._(
                    "%(name)s asks to join %(customer)s's onboarding",
                    name=join._summary_name(),
                    customer=text_tools.single_line(customer.name, MAX_NAME),
                ),
                note=join_bot.env._(
                    "%(email)s joined through the company link with an address "
                    "the customer is not known to use. Approve to enrol this "
                    "person in the courses (a learner, not a contact of the "
                    "customer), or refuse.",
                    email=join.email,
                ),
            )

    def _summary_name(self):
        """The name as the account manager's summary and notification
        subject show it: one line, at most ``MAX_SUMMARY_NAME`` characters."""
        self.ensure_one()
        name = text_tools.single_line(self.name)
        if len(name) > MAX_SUMMARY_NAME:
            name = name[: MAX_SUMMARY_NAME - 1].rstrip() + "…"
        return name

    # --- Actions ---

    def _nps_check_pending(self):
        # the record rules say who may decide (the account manager of the
        # customer, satisfaction users, eLearning officers)
        self.check_access("write")
        if any(join.state != "pending" for join in self):
            raise UserError(self.env._("This request was already decided."))

    def action_approve(self):
        self._nps_check_pending()
        self._nps_admit("approval")
        return True

    def action_refuse(self):
        self._nps_check_pending()
        self.sudo().write(
            {
                "state": "refused",
                "decided_by_id": self.env.user.id,
                "decided_date": fields.Datetime.now(),
            }
        )
        self.sudo().activity_ids.action_feedback(
            feedback=self.env._("Refused: nothing was given.")
        )
        return True
