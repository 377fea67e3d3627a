from odoo import api, fields, models


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = ["project.project", "nps.survey.mixin"]
    _nps_request_field = "project_id"
    _nps_trigger = "project_done"

    nps_request_ids = fields.One2many(
        comodel_name="nps.request",
        inverse_name="project_id",
        string="Satisfaction surveys",
    )

    @api.model_create_multi
    def create(self, vals_list):
        projects = super().create(vals_list)
        # a project created in a stage that completes the installation is
        # surveyed like one moved there
        projects.filtered("stage_id.nps_done")._nps_schedule_survey()
        return projects

    def write(self, vals):
        if "stage_id" not in vals:
            return super().write(vals)
        was_done = {project.id: project.stage_id.nps_done for project in self}
        result = super().write(vals)
        stage = self.env["project.project.stage"].browse(vals["stage_id"])
        if stage.nps_done:
            self.filtered(lambda p: not was_done[p.id])._nps_schedule_survey()
        else:
            self.filtered(
                lambda p: was_done[p.id]
            ).nps_request_ids._nps_cancel_pending()
        return result

    def _nps_prepare_candidate(self, campaigns):
        self.ensure_one()
        return {
            "campaigns": campaigns,
            "partner": self.partner_id,
            "project": self,
            "company": self.company_id,
            "origin_date": fields.Datetime.now(),
        }
