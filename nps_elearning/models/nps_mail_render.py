from odoo import models


class NpsMailRender(models.AbstractModel):
    _inherit = "nps.mail.render"

    def _nps_mail_subject(self, request, reminder=False):
        """A survey after an onboarding course names the course: it has no
        ticket or project for the customer to recognise."""
        request_sudo = request.sudo()
        course = request_sudo.slide_channel_id
        if not course or request_sudo._nps_document():
            return super()._nps_mail_subject(request, reminder=reminder)
        if reminder:
            return self.env._(
                "Reminder: how did you find the course %(course)s?",
                course=course.name,
            )
        return self.env._(
            "The course %(course)s: how did you find it?", course=course.name
        )
