from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    nps_template_id = fields.Many2one(
        comodel_name="project.project",
        string="Created from template",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
        help="The project template this project was created from; onboarding "
        "courses linked to that template are offered at its completion.",
    )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if self.env.context.get("copy_from_template"):
            for project, vals in zip(self, vals_list, strict=True):
                if project.is_template:
                    vals["nps_template_id"] = project.id
        return vals_list

    def _nps_stage_reached(self):
        requests = super()._nps_stage_reached()
        self._nps_enrol_onboarding()
        return requests

    def _nps_enrol_onboarding(self):
        """Enrol the contacts of these finished projects' customers in the
        onboarding courses of their services (and of the projects' template).
        Contacts already enrolled in a course are left as they are."""
        projects = self.sudo().filtered("partner_id")
        if not projects:
            return self.env["slide.channel.partner"].sudo()
        courses = (
            self.env["slide.channel"].sudo().search([("nps_onboarding", "=", True)])
        )
        wanted = {}
        for project in projects:
            commercial = project.partner_id.commercial_partner_id
            matching = courses._nps_matching(
                commercial.nps_service_type_ids,
                template=project.nps_template_id or project,
            )
            wanted.setdefault(commercial, self.env["slide.channel"].sudo())
            wanted[commercial] |= matching
        return self.env["slide.channel"]._nps_enrol_customers(wanted, "project")
