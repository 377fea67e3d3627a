import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models

from .nps_followup import OPEN_STATES

_logger = logging.getLogger(__name__)


class NpsFollowup(models.Model):
    """The case's activities: the one its opening gives its responsible
    (the note kept current as the answer comes in), the work recorded when
    it is marked done, and the escalation of an overdue case."""

    # split by what things are (STYLE.md): nps_followup.py holds the case
    _inherit = "nps.followup"  # pylint: disable=consider-merging-classes-inherited

    # --- Opening ---

    @api.model
    def _nps_responsible(self, request):
        """The customer's account manager (of its satisfaction data, not its
        salesperson), else the helpdesk team leader, else the campaign's
        responsible."""
        return (
            request.partner_id._nps_account_manager()
            or request.ticket_id.team_id.user_id
            or request.campaign_id.user_id
        )

    @api.model
    def _nps_open(self, request, kind, keywords=False):
        """Open the case of this answer (one per answer) and give its
        responsible an activity, assigned as Odoo assigns any activity: the
        assignee is notified by email or in his inbox, with a link to the
        case. Returns the case, or an empty recordset when no one can follow
        the customer up."""
        request_sudo = request.sudo()
        if request_sudo.followup_ids:
            return self.browse()
        user = self._nps_responsible(request_sudo)
        if not user:
            _logger.info("No one to follow up answer %s", request_sudo.id)
            return self.browse()
        deadline = fields.Date.context_today(self) + timedelta(
            days=request_sudo.campaign_id.followup_sla_days
        )
        case = (
            self.sudo()
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(
                {
                    "request_id": request_sudo.id,
                    "kind": kind,
                    "keywords": keywords or False,
                    "user_id": user.id,
                    "date_deadline": deadline,
                }
            )
        )
        # the activity subscribes its assignee to the case
        case._nps_schedule_activity(user, deadline)
        return case

    def _nps_schedule_activity(self, user, deadline):
        """The responsible's activity on the case, worded in his language
        (his user's), whoever's action opened the case."""
        self.ensure_one()
        case = self.with_context(lang=user.lang or self.env.lang)
        request_sudo = case.request_id.sudo()
        customer = case.commercial_partner_id.display_name
        if case.kind in ("detractor", "downgrade", "drop"):
            xmlid = (
                "nps_satisfaction.mail_activity_type_nps_followup"
                if case.kind == "detractor"
                else "nps_satisfaction.mail_activity_type_nps_alert"
            )
            summary = case.env._(
                "Follow up with %(customer)s — NPS score dropped to %(score)s",
                customer=customer,
                score=request_sudo.score,
            )
        elif case.kind == "silence":
            xmlid = "nps_satisfaction.mail_activity_type_nps_alert"
            summary = case.env._(
                "No answer from %(customer)s to %(campaign)s",
                customer=customer,
                campaign=request_sudo.campaign_id.name,
            )
        else:
            xmlid = "nps_satisfaction.mail_activity_type_nps_alert"
            summary = case.env._(
                "Satisfaction alert: %(customer)s — %(reason)s",
                customer=customer,
                reason=dict(case._fields["kind"]._description_selection(case.env))[
                    case.kind
                ],
            )
        return case._nps_activity_with_note(xmlid, summary, user, deadline)

    def _nps_activity_with_note(self, xmlid, summary, user, deadline):
        """An activity of type ``xmlid`` for ``user`` on this case (in the
        language of its context), its note telling the answer."""
        return self.sudo().activity_schedule(
            xmlid,
            summary=summary,
            note=self._nps_activity_note(),
            user_id=user.id,
            date_deadline=deadline,
        )

    def _nps_activity_note(self):
        """The note of this case's activities, telling the answer (its
        campaign, reasons and themes too) in the language of the context."""
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "nps_satisfaction.activity_nps_followup_note",
            {"nps_request": self.request_id.sudo(), "nps_followup": self.sudo()},
        )

    def _nps_alert_theme_owners(self):
        """Give the responsible of each theme the answer mentions an activity
        on this case (the seed's targeted alerts), besides the account
        manager's: once per theme and case. He follows the case: what lets
        a responsible with only the Internal User rights read it (rule
        ``nps_followup_rule_theme_responsible``)."""
        for case in self.sudo():
            themes = (case.request_id.theme_ids - case.theme_alerted_ids).filtered(
                "user_id"
            )
            for theme in themes:
                case._nps_schedule_theme_activity(theme)
            if themes:
                case.message_subscribe(partner_ids=themes.user_id.partner_id.ids)
            case.theme_alerted_ids |= themes

    def _nps_schedule_theme_activity(self, theme):
        """The activity of ``theme``'s responsible on this case, worded in his
        language."""
        self.ensure_one()
        user = theme.user_id
        case = self.with_context(lang=user.lang or self.env.lang)
        request_sudo = case.request_id.sudo()
        deadline = fields.Date.context_today(self) + timedelta(
            days=request_sudo.campaign_id.followup_sla_days
        )
        summary = case.env._(
            "%(theme)s: %(customer)s is not satisfied",
            theme=theme.with_context(lang=case.env.lang).name,
            customer=case.commercial_partner_id.display_name,
        )
        return case._nps_activity_with_note(
            "nps_satisfaction.mail_activity_type_nps_alert", summary, user, deadline
        )

    def _nps_refresh_activity_note(self):
        """The open activities of these open cases tell the answer as it is
        now: its comment and CSAT usually come a moment after the score that
        opened the case. Worded in each assignee's language."""
        types = self._nps_closing_activity_types()
        for case in self.sudo().filtered(lambda c: c.state in OPEN_STATES):
            activities = case.activity_ids.filtered(
                lambda a: a.activity_type_id in types
            )
            for activity in activities:
                lang = activity.user_id.lang or self.env.lang
                activity.note = case.with_context(lang=lang)._nps_activity_note()

    # --- The activity marked done ---

    @api.model
    def _nps_closing_activity_types(self):
        """The activity types whose completion closes the case they are on:
        the follow-up and the alert (an escalation closes nothing)."""
        types = self.env["mail.activity.type"]
        for xmlid in (
            "nps_satisfaction.mail_activity_type_nps_followup",
            "nps_satisfaction.mail_activity_type_nps_alert",
        ):
            # every activity marked done asks: never fail on a missing type
            types |= self.env.ref(xmlid, raise_if_not_found=False) or types
        return types

    def _nps_keep_messages(self, messages):
        """Keep the messages that record work on these cases with their
        answer's messages (their text goes when the comment is removed)."""
        if not messages:
            return
        for case in self:
            done = messages.filtered(
                lambda m, c=case: m.model == c._name and m.res_id == c.id
            )
            if done:
                case.request_id.sudo().nps_message_ids = [
                    Command.link(m.id) for m in done
                ]

    def _nps_activity_worked(self, feedback=None, messages=None):
        """The follow-up activity of these cases was marked done from the
        chatter or the activity menu, without the outcome: the work is
        recorded (the case goes in progress, the feedback is its action
        taken so far) and the account manager gets the next step, recording
        the outcome with the close wizard. Only the wizard closes a case.
        Returns the activities scheduled."""
        self._nps_keep_messages(messages)
        open_cases = self.filtered(lambda c: c.state in OPEN_STATES)
        for case in open_cases:
            values = {"state": "in_progress"}
            if feedback and not case.action_taken:
                values["action_taken"] = feedback
            case.sudo().write(values)
        activity_type = self.env.ref(
            "nps_satisfaction.mail_activity_type_nps_followup",
            raise_if_not_found=False,
        )
        closing_types = self._nps_closing_activity_types()
        activities = self.env["mail.activity"]
        for case in open_cases.filtered(lambda c: c.user_id and activity_type):
            # the activity just marked done may linger in the cache, archived
            if case.activity_ids.filtered(
                lambda a: a.active and a.activity_type_id in closing_types
            ):
                continue
            lang = case.user_id.lang or self.env.lang
            activities |= (
                case.sudo()
                .with_context(lang=lang, mail_activity_quick_update=True)
                .activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=case.with_context(lang=lang).env._(
                        "Record the outcome of the follow-up"
                    ),
                    note=case.with_context(lang=lang).env._(
                        "Close the case with its root cause and outcome "
                        "(Close the follow-up): the follow-up survey goes out "
                        "then."
                    ),
                    user_id=case.user_id.id,
                    date_deadline=fields.Date.context_today(self),
                )
            )
        return activities

    # --- Escalation ---

    @api.model
    def _cron_escalate(self):
        """Escalate the overdue cases to the helpdesk team leader (or the
        campaign's responsible), once each."""
        overdue = self.sudo().search(
            [("overdue", "=", True), ("escalated", "=", False)]
        )
        for case in overdue:
            leader = case.team_id.user_id or case.campaign_id.user_id
            if not leader or leader == case.user_id:
                continue
            case.activity_schedule(
                "nps_satisfaction.mail_activity_type_nps_escalation",
                summary=self.env._(
                    "Overdue follow-up: %(customer)s — %(score)s",
                    customer=case.commercial_partner_id.display_name,
                    score=case.request_id._nps_score_text(),
                ),
                note=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s has not followed up this customer by %(date)s.",
                    user=case.user_id.name or "-",
                    date=case.date_deadline,
                ),
                user_id=leader.id,
            )
            case.escalated_user_id = leader
        overdue.write({"escalated": True})
        return overdue
