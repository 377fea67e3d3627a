from odoo import fields, models


class ProjectProjectStage(models.Model):
    _inherit = "project.project.stage"

    nps_done = fields.Boolean(
        string="Installation complete",
        help="A project reaching this stage is finished: its customer receives "
        "the post-installation satisfaction survey.",
    )
