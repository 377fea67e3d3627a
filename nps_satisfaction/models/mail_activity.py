from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _nps_closing_cases(self):
        """The satisfaction cases (sudo) whose follow-up activity is among
        these activities."""
        closing_types = self.env["nps.followup"]._nps_closing_activity_types()
        closing = self.filtered(
            lambda a: a.res_model == "nps.followup"
            and a.activity_type_id in closing_types
        )
        return self.env["nps.followup"].sudo().browse(closing.mapped("res_id"))

    def _action_done(self, feedback=False, attachment_ids=None):
        """A follow-up activity of a satisfaction case marked done from the
        chatter or the activity menu records the work (the case goes in
        progress, and its account manager gets the next step: recording the
        outcome); only the close wizard, which asks for the root cause and
        the outcome, closes the case (``nps_followup_close`` in the
        context). The message that records it quotes the answer: it is kept
        with the answer's messages, whose text goes when the comment is
        removed."""
        cases_sudo = self._nps_closing_cases()
        messages, next_activities = super()._action_done(
            feedback=feedback, attachment_ids=attachment_ids
        )
        cases_sudo = cases_sudo.exists()
        if cases_sudo and self.env.context.get("nps_followup_close"):
            cases_sudo._nps_activity_done(feedback=feedback, messages=messages)
        elif cases_sudo:
            next_activities |= cases_sudo._nps_activity_worked(
                feedback=feedback, messages=messages
            )
        return messages, next_activities

    def action_feedback_schedule_next(self, feedback=False, attachment_ids=None):
        """*Done & Schedule Next* on a case's follow-up activity: the work is
        recorded and the close wizard opens (the next step of a case is its
        outcome), not a scheduling dialog on a case about to close."""
        cases_sudo = self._nps_closing_cases()
        if not cases_sudo or self.env.context.get("nps_followup_close"):
            return super().action_feedback_schedule_next(
                feedback=feedback, attachment_ids=attachment_ids
            )
        self.action_feedback(feedback=feedback, attachment_ids=attachment_ids)
        case = self.env["nps.followup"].browse(cases_sudo[:1].id)
        if case.exists() and case.state in ("open", "in_progress"):
            return case.action_close()
        return False
