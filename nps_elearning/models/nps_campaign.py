from odoo import fields, models


class NpsCampaign(models.Model):
    _inherit = "nps.campaign"

    trigger = fields.Selection(
        selection_add=[("course_completed", "Onboarding course completed")],
        ondelete={"course_completed": "cascade"},
    )
