from odoo import fields, models


class NpsRequest(models.Model):
    _inherit = "nps.request"

    slide_channel_id = fields.Many2one(
        comodel_name="slide.channel",
        string="Course",
        ondelete="set null",
        index="btree_not_null",
        help="The onboarding course whose completion triggered this survey.",
    )
