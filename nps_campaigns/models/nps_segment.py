from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from odoo.addons.nps_satisfaction.tools import health_tools, score_tools

CATEGORY_KEYS = [key for key, _label in score_tools.CATEGORY_SELECTION]
HEALTH_KEYS = [key for key, _label in health_tools.HEALTH_SELECTION]


def split_keys(text):
    """The values of a comma-separated field, stripped, empty ones dropped."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class NpsSegment(models.Model):
    _name = "nps.segment"
    _description = "Customer segment"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the segment between companies.",
    )
    description = fields.Text()
    # --- Criteria: AND between them, OR within one ---
    service_type_ids = fields.Many2many(
        comodel_name="nps.service.type",
        string="Services",
        help="Customers subscribing to at least one of these services.",
    )
    country_ids = fields.Many2many(comodel_name="res.country", string="Countries")
    state_ids = fields.Many2many(
        comodel_name="res.country.state",
        string="States",
        relation="nps_segment_res_country_state_rel",
    )
    zip_prefixes = fields.Char(
        string="Postcode prefixes",
        help="Comma-separated beginnings of postcodes, e.g. 75, 92, 1000.",
    )
    user_ids = fields.Many2many(
        comodel_name="res.users",
        string="Account managers",
        relation="nps_segment_res_users_rel",
    )
    nps_categories = fields.Char(
        string="NPS categories",
        help="Comma-separated: promoter, passive, detractor. Empty for any.",
    )
    nps_promoter = fields.Boolean(
        string="Promoters",
        compute="_compute_category_flags",
        inverse="_inverse_category_flags",
    )
    nps_passive = fields.Boolean(
        string="Passives",
        compute="_compute_category_flags",
        inverse="_inverse_category_flags",
    )
    nps_detractor = fields.Boolean(
        string="Detractors",
        compute="_compute_category_flags",
        inverse="_inverse_category_flags",
    )
    nps_score_max = fields.Selection(
        selection=[(str(score), str(score)) for score in range(11)],
        string="Last score at most",
        help="Customers whose last answer scored at or below this. Empty for any.",
    )
    health_states = fields.Char(
        help="Comma-separated: healthy, watch, at_risk. Empty for any.",
    )
    health_healthy = fields.Boolean(
        string="Healthy",
        compute="_compute_health_flags",
        inverse="_inverse_health_flags",
    )
    health_watch = fields.Boolean(
        string="Watch",
        compute="_compute_health_flags",
        inverse="_inverse_health_flags",
    )
    health_at_risk = fields.Boolean(
        string="At risk",
        compute="_compute_health_flags",
        inverse="_inverse_health_flags",
    )
    renewal_within_days = fields.Integer(
        string="Renewal within (days)",
        help="Customers whose contract renews between today and this many "
        "days from now. 0 for any.",
    )
    # --- Recipients ---
    contact_rule = fields.Selection(
        selection=[
            ("all", "All contacts with an email"),
            ("main", "Main contact only"),
        ],
        string="Send to",
        default="all",
        required=True,
        help="All contacts: the company's address and every contact of the "
        "company with an email. Main contact: the company's own address only.",
    )
    exclude_bounced = fields.Boolean(
        string="Skip bouncing addresses",
        default=True,
        help="Leave out the contacts whose email bounced.",
    )
    # --- Figures ---
    partner_count = fields.Integer(
        string="Customers",
        compute="_compute_partner_count",
        help="Companies matching the criteria now.",
    )
    recipient_count = fields.Integer(
        string="Recipients",
        compute="_compute_partner_count",
        help="Contacts that a mailing to this segment would reach now, "
        "before the blacklist and opt-outs.",
    )
    mailing_ids = fields.One2many(
        comodel_name="mailing.mailing", inverse_name="nps_segment_id"
    )
    mailing_count = fields.Integer(compute="_compute_mailing_count")

    def _compute_category_flags(self):
        for segment in self:
            keys = split_keys(segment.nps_categories)
            segment.nps_promoter = score_tools.PROMOTER in keys
            segment.nps_passive = score_tools.PASSIVE in keys
            segment.nps_detractor = score_tools.DETRACTOR in keys

    def _inverse_category_flags(self):
        for segment in self:
            flags = {
                score_tools.PROMOTER: segment.nps_promoter,
                score_tools.PASSIVE: segment.nps_passive,
                score_tools.DETRACTOR: segment.nps_detractor,
            }
            segment.nps_categories = ",".join(k for k in CATEGORY_KEYS if flags[k])

    def _compute_health_flags(self):
        for segment in self:
            keys = split_keys(segment.health_states)
            segment.health_healthy = health_tools.HEALTHY in keys
            segment.health_watch = health_tools.WATCH in keys
            segment.health_at_risk = health_tools.AT_RISK in keys

    def _inverse_health_flags(self):
        for segment in self:
            flags = {
                health_tools.HEALTHY: segment.health_healthy,
                health_tools.WATCH: segment.health_watch,
                health_tools.AT_RISK: segment.health_at_risk,
            }
            segment.health_states = ",".join(k for k in HEALTH_KEYS if flags[k])

    @api.onchange("nps_promoter", "nps_passive", "nps_detractor")
    def _onchange_category_flags(self):
        # the live count follows the ticks before the segment is saved
        self._inverse_category_flags()

    @api.onchange("health_healthy", "health_watch", "health_at_risk")
    def _onchange_health_flags(self):
        self._inverse_health_flags()

    @api.depends(
        "service_type_ids",
        "country_ids",
        "state_ids",
        "zip_prefixes",
        "user_ids",
        "nps_categories",
        "nps_score_max",
        "health_states",
        "renewal_within_days",
        "contact_rule",
        "exclude_bounced",
    )
    def _compute_partner_count(self):
        Partner = self.env["res.partner"]
        for segment in self:
            segment.partner_count = Partner.search_count(segment._get_company_domain())
            segment.recipient_count = Partner.search_count(
                segment._get_recipient_domain()
            )

    def _compute_mailing_count(self):
        # a count only: satisfaction users without Email Marketing rights
        # see how many mailings used the segment
        counts = dict(
            self.env["mailing.mailing"]
            .sudo()
            ._read_group(
                [("nps_segment_id", "in", self.ids)], ["nps_segment_id"], ["__count"]
            )
        )
        for segment in self:
            segment.mailing_count = counts.get(segment, 0)

    def write(self, vals):
        result = super().write(vals)
        # the mailings still to send show the segment's current recipients
        # (whoever may edit the segment, Email Marketing rights or not)
        self.sudo().mailing_ids.filtered(
            lambda m: m.state in ("draft", "in_queue")
        )._nps_sync_segment()
        return result

    @api.constrains("nps_categories", "health_states")
    def _check_keys(self):
        for segment in self:
            unknown = set(split_keys(segment.nps_categories)) - set(CATEGORY_KEYS)
            unknown |= set(split_keys(segment.health_states)) - set(HEALTH_KEYS)
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Unknown category or health state in segment %(segment)s: "
                        "%(values)s.",
                        segment=segment.name,
                        values=", ".join(sorted(unknown)),
                    )
                )

    @api.constrains("renewal_within_days")
    def _check_renewal_within_days(self):
        if any(segment.renewal_within_days < 0 for segment in self):
            raise ValidationError(
                self.env._("The renewal window of a segment cannot be negative.")
            )

    # --- Domains ---

    def _get_company_domain(self):
        """The domain on ``res.partner`` selecting this segment's customers
        (companies, not the database's own): AND between the criteria, OR
        within one."""
        self.ensure_one()
        domains = [
            Domain("is_company", "=", True),
            Domain("nps_own_company", "=", False),
        ]
        if self.service_type_ids:
            domains.append(
                Domain("nps_service_type_ids", "in", self.service_type_ids._origin.ids)
            )
        if self.country_ids:
            domains.append(Domain("country_id", "in", self.country_ids._origin.ids))
        if self.state_ids:
            domains.append(Domain("state_id", "in", self.state_ids._origin.ids))
        prefixes = split_keys(self.zip_prefixes)
        if prefixes:
            domains.append(
                Domain.OR(Domain("zip", "=ilike", f"{prefix}%") for prefix in prefixes)
            )
        if self.user_ids:
            domains.append(Domain("user_id", "in", self.user_ids._origin.ids))
        categories = split_keys(self.nps_categories)
        if categories:
            domains.append(Domain("nps_category", "in", categories))
        if self.nps_score_max:
            # a score only counts when the customer has answered
            domains.append(
                Domain("nps_category", "!=", False)
                & Domain("nps_last_score", "<=", int(self.nps_score_max))
            )
        states = split_keys(self.health_states)
        if states:
            domains.append(Domain("nps_health", "in", states))
        if self.renewal_within_days:
            today = fields.Date.context_today(self)
            domains.append(
                Domain("nps_contract_renewal_date", ">=", today)
                & Domain(
                    "nps_contract_renewal_date",
                    "<=",
                    today + timedelta(days=self.renewal_within_days),
                )
            )
        return Domain.AND(domains)

    def _get_recipient_domain(self):
        """The domain on ``res.partner`` selecting the contacts a mailing to
        this segment reaches: the companies' own addresses, and their
        contacts unless the segment keeps to the main contact."""
        self.ensure_one()
        companies = self._get_company_domain()
        if self.contact_rule == "main":
            domain = companies
        else:
            domain = Domain("commercial_partner_id", "any", companies)
        domain &= Domain("email", "!=", False)
        if self.exclude_bounced:
            domain &= Domain("message_bounce", "=", 0)
        return domain

    def _get_recipient_domain_list(self):
        """The recipients' domain as a plain list, for a mailing's
        ``mailing_domain`` (dates as strings, so that it reads back)."""
        return self._serialize_domain(self._get_recipient_domain())

    @api.model
    def _serialize_domain(self, domain):
        """A domain as a list of literals (dates as strings), as
        ``mailing_domain`` and actions store it."""
        result = []
        for item in list(domain):
            if isinstance(item, tuple | list) and len(item) == 3:
                field, operator, value = item
                if operator in ("any", "not any"):
                    value = self._serialize_domain(value)
                elif isinstance(value, date):
                    value = fields.Date.to_string(value)
                result.append((field, operator, value))
            else:
                result.append(item)
        return result

    # --- Actions ---

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers of %(segment)s", segment=self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": self._serialize_domain(self._get_company_domain()),
            "context": {"default_is_company": True},
        }

    def action_view_recipients(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Recipients of %(segment)s", segment=self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": self._get_recipient_domain_list(),
        }

    def action_view_mailings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mass_mailing.mailing_mailing_action_mail"
        )
        action["domain"] = [("nps_segment_id", "=", self.id)]
        action["context"] = {
            "default_nps_segment_id": self.id,
            "default_mailing_type": "mail",
        }
        return action

    def action_new_mailing(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "view_mode": "form",
            "context": {
                "default_nps_segment_id": self.id,
                "default_mailing_type": "mail",
                "default_mailing_model_id": self.env["ir.model"]._get("res.partner").id,
            },
        }
