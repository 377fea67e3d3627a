from odoo import api, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    """A customer's privacy requests from his form: the export of his
    satisfaction data and the anonymisation of his answers (the work is
    ``nps.privacy``'s)."""

    # split by what things are (STYLE.md): res_partner.py holds the figures
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _nps_check_privacy_access(self):
        if not self.env.user.has_group("nps_satisfaction.group_nps_manager"):
            raise AccessError(
                self.env._(
                    "Only customer satisfaction administrators can export or "
                    "anonymise a customer's satisfaction data."
                )
            )

    def _nps_privacy_scope(self):
        """The contacts a privacy request about this one covers: itself, and
        for a company its contacts too."""
        self.ensure_one()
        if not self.is_company:
            return self
        return self.with_context(active_test=False).search(
            [("commercial_partner_id", "=", self.id)], order="is_company desc, id"
        )

    def _nps_privacy_requests(self):
        """The survey requests of this customer (and, for a company, of its
        contacts)."""
        self.ensure_one()
        return (
            self.env["nps.request"]
            .sudo()
            .search([("partner_id", "in", self._nps_privacy_scope().ids)])
        )

    def _nps_privacy_terminations(self):
        """The termination notices of this customer (and, for a company, of
        its contacts: none, they are the company's own)."""
        self.ensure_one()
        return (
            self.env["nps.termination"]
            .sudo()
            .search([("partner_id", "in", self._nps_privacy_scope().ids)])
        )

    def _nps_privacy_target(self):
        """Whom this customer's answers count for once anonymised: the
        company of a contact, so that the company's figures and health stay
        whole; nobody (the shared anonymised customer) for a company or a
        private person."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        if commercial != self and not self.is_company:
            return commercial
        return self.env.ref("nps_satisfaction.partner_nps_anonymised")

    def action_nps_export_data(self):
        """Download this customer's satisfaction data (zip: JSON and CSV)."""
        self.ensure_one()
        self._nps_check_privacy_access()
        self.check_access("read")
        export = self.env["nps.privacy.export"].create({"partner_id": self.id})
        return export.action_download()

    def action_nps_anonymize_data(self):
        """Open the confirmation of the anonymisation."""
        self.ensure_one()
        self._nps_check_privacy_access()
        self.check_access("read")
        wizard = self.env["nps.privacy.anonymize"].create({"partner_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Anonymise satisfaction data"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
