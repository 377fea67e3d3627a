from odoo import api, models


class NpsAnswerService(models.AbstractModel):
    _inherit = "nps.answer.service"

    @api.model
    def _nps_answer_channel(self, request, channel):
        # an answer to a newsletter's survey stays counted as the newsletter's
        if request.mailing_id and channel == "email":
            return "campaign"
        return super()._nps_answer_channel(request, channel)
