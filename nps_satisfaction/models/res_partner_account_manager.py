from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from .res_partner import FIGURE_GROUPS

#: what moves a contact to another customer (its commercial entity)
MOVE_FIELDS = frozenset({"parent_id", "is_company", "commercial_partner_id"})


class ResPartner(models.Model):
    """Who manages a customer's satisfaction data (his account manager),
    who may set him, and how far his reach goes: the contacts follow their
    customer's account manager, and a contact with surveys moves to another
    customer only by a satisfaction user's hand."""

    # split by what things are (STYLE.md): res_partner.py holds the figures
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    nps_account_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Account manager (satisfaction)",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        tracking=True,
        domain=[("share", "=", False)],
        groups="base.group_user",
        help="The user who reads this customer's satisfaction answers, "
        "figures and follow-up cases and is given its follow-ups. A new "
        "customer starts with its salesperson, a new contact with its "
        "company's account manager. Only customer satisfaction users set it; "
        "it follows the salesperson when one of them changes the salesperson, "
        "not when anyone else does: then the satisfaction data keep their "
        "account manager.",
    )

    @api.model
    def _nps_may_manage_accounts(self):
        """Whether the current user sets the customers' account managers and
        reads every customer's figures: a satisfaction user, or the
        superuser."""
        return self.env.su or self.env.user.has_group(FIGURE_GROUPS)

    def _nps_account_manager(self):
        """Who manages this customer's satisfaction data: the account manager
        of its commercial entity, else its own."""
        self.ensure_one()
        partner_sudo = self.sudo()
        return (
            partner_sudo.commercial_partner_id.nps_account_manager_id
            or partner_sudo.nps_account_manager_id
        )

    @api.model
    def _nps_managed_domain(self, user):
        """The customers whose satisfaction data ``user`` manages (see
        ``_nps_account_manager``)."""
        managed_by = "commercial_partner_id.nps_account_manager_id"
        return Domain(managed_by, "=", user.id) | (
            Domain(managed_by, "=", False)
            & Domain("nps_account_manager_id", "=", user.id)
        )

    @api.model
    def _has_field_access(self, field, operation):
        # the account manager opens the customer's answers: set by
        # satisfaction users only (the salesperson, which anyone creating
        # contacts may set, does not)
        if (
            operation == "write"
            and field.name == "nps_account_manager_id"
            and not self._nps_may_manage_accounts()
        ):
            return False
        return super()._has_field_access(field, operation)

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # a new customer starts with its salesperson as account manager, a
        # new contact of a customer with the customer's
        by_manager = {}
        for partner in partners.sudo():
            if partner.nps_account_manager_id:
                continue
            commercial = partner.commercial_partner_id
            manager = (
                commercial.nps_account_manager_id
                if commercial != partner
                else partner.user_id
            )
            if manager:
                by_manager.setdefault(manager, partner.browse())
                by_manager[manager] |= partner
        for manager, group in by_manager.items():
            super(ResPartner, group).write({"nps_account_manager_id": manager.id})
        return partners

    def write(self, vals):
        may_manage = self._nps_may_manage_accounts()
        if may_manage:
            # the account manager follows the salesperson a satisfaction user
            # (or the system) sets
            if "user_id" in vals and "nps_account_manager_id" not in vals:
                vals = dict(vals, nps_account_manager_id=vals["user_id"])
        elif "nps_account_manager_id" in vals and all(
            partner.nps_account_manager_id.id
            == (vals["nps_account_manager_id"] or False)
            for partner in self
        ):
            # unchanged (a merge, a form saving what it read): nothing to check
            vals = {k: v for k, v in vals.items() if k != "nps_account_manager_id"}
        before = {}
        if not may_manage and MOVE_FIELDS.intersection(vals):
            before = self._nps_commercial_partners()
        managers_before = {}
        if may_manage and "nps_account_manager_id" in vals:
            managers_before = {
                partner: partner.nps_account_manager_id
                for partner in self.sudo()
                if partner.commercial_partner_id == partner
            }
        result = super().write(vals)
        if before:
            self._nps_check_not_moved(before)
        for customer, manager in managers_before.items():
            customer._nps_contacts_follow_manager(manager)
        if not may_manage and "user_id" in vals:
            self._nps_note_account_manager_kept()
        return result

    def _nps_contacts_follow_manager(self, previous):
        """The contacts of this customer that had its previous account
        manager (``previous``), or none, take its new one: the contact form
        says what the rules apply (they read the customer's)."""
        self.ensure_one()
        contacts = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("id", "child_of", self.id),
                    ("id", "!=", self.id),
                    ("nps_account_manager_id", "in", [previous.id, False]),
                ]
            )
        )
        if contacts and self.nps_account_manager_id != previous:
            contacts.write({"nps_account_manager_id": self.nps_account_manager_id.id})

    def _nps_commercial_partners(self):
        """``{contact: its customer}`` of these partners and the contacts
        under them that have satisfaction surveys or terminations."""
        scope = (
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", self.ids)])
        )
        surveyed = (
            self.env["nps.request"]
            .sudo()
            ._read_group(
                # a campaign's test email (state test) is no survey of his
                [("partner_id", "in", scope.ids), ("state", "!=", "test")],
                ["partner_id"],
            )
        )
        terminated = (
            self.env["nps.termination"]
            .sudo()
            ._read_group([("partner_id", "in", scope.ids)], ["partner_id"])
        )
        return {
            partner: partner.commercial_partner_id
            for (partner,) in surveyed + terminated
        }

    def _nps_check_not_moved(self, before):
        """Refuse to move a contact that has satisfaction surveys or
        terminations to another customer (they would follow the new
        customer's account manager): a satisfaction user's decision."""
        for partner, customer in before.items():
            if partner.commercial_partner_id != customer:
                raise AccessError(
                    self.env._(
                        "%(contact)s has satisfaction surveys or termination "
                        "notices: only customer satisfaction users can move it "
                        "from %(customer)s to another customer, whose account "
                        "manager would read them.",
                        contact=partner.name,
                        customer=customer.name,
                    )
                )

    def _nps_note_account_manager_kept(self):
        """Say on the customer that a new salesperson set by a user without
        satisfaction rights does not become its account manager."""
        bodies = {}
        for partner in self.sudo():
            if partner.user_id == partner.nps_account_manager_id:
                continue
            bodies[partner.id] = Markup("<p>%s</p>") % self.env._(
                "The salesperson changed; the account manager of the "
                "satisfaction data stays %(manager)s (only customer "
                "satisfaction users change it).",
                manager=partner.nps_account_manager_id.name or self.env._("unassigned"),
            )
        if bodies:
            self.browse(bodies)._message_log_batch(bodies=bodies)
