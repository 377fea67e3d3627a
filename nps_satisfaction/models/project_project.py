from odoo import api, fields, models


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = ["project.project", "nps.survey.mixin"]
    _nps_request_field = "project_id"
    _nps_trigger = "project_done"
    _nps_done_flag = "nps_done"

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

    def _nps_prepare_candidate(self, campaigns):
        self.ensure_one()
        return {
            "campaigns": campaigns,
            "partner": self.partner_id,
            "project": self,
            "company": self.company_id,
            "origin_date": fields.Datetime.now(),
        }
