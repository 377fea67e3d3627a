from odoo import fields, models

from .nps_followup import OPEN_STATES


class NpsFollowup(models.Model):
    """The case closed with its outcome: done, no longer counted as open
    in the customer's health, and the follow-up survey that shows whether
    the customer recovered."""

    # split by what things are (STYLE.md): nps_followup.py holds the case
    _inherit = "nps.followup"  # pylint: disable=consider-merging-classes-inherited

    def _nps_activity_done(self, feedback=None, messages=None):
        """These cases were closed with their outcome (the close wizard, which
        marks their follow-up activity done): the case is done, the
        customer's health no longer counts it as open, and after a detractor
        the campaign's follow-up survey is scheduled. An escalation
        activity marked done closes nothing."""
        to_close = self.filtered(lambda c: c.state in OPEN_STATES)
        self._nps_keep_messages(messages)
        if not to_close:
            return self.browse()
        now = fields.Datetime.now()
        for case in to_close:
            # the flow closes the case whoever marked its activity done
            case.sudo().write(
                {
                    "state": "done",
                    "done_date": now,
                    "action_taken": case.action_taken or feedback or False,
                }
            )
        # the other open activities of a closed case have nothing left to do
        to_close.activity_ids.filtered("active").sudo().action_archive()
        to_close._nps_refresh_customers()
        to_close.filtered(lambda c: c.kind == "detractor")._nps_schedule_survey()
        return to_close

    def _nps_schedule_survey(self):
        """A follow-up survey for each of these cases whose campaign has one,
        after that campaign's send delay."""
        candidates = []
        for case in self:
            request_sudo = case.request_id.sudo()
            campaign = request_sudo.campaign_id.followup_campaign_id
            if not campaign or not campaign.active:
                continue
            candidates.append(
                {
                    "campaigns": campaign,
                    "partner": request_sudo.partner_id,
                    "company": request_sudo.company_id,
                    "origin_date": fields.Datetime.now(),
                    "extra_values": {"origin_request_id": request_sudo.id},
                }
            )
        surveys = self.env["nps.schedule"].sudo()._nps_schedule(candidates)
        for survey in surveys:
            case = self.filtered(
                lambda c, s=survey: c.request_id == s.origin_request_id
            )
            case.sudo().survey_request_id = survey
        return surveys
