import uuid

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models

from ..tools import token_tools


class NpsPrivacy(models.AbstractModel):
    """A customer's rights over his satisfaction data: the export of what
    the suite holds about him, the removal of texts (on request, or after
    the company's retention period) and the anonymisation of his answers.
    A service called by the privacy wizards and the retention cron with the
    requests it works on."""

    _name = "nps.privacy"
    _description = "Satisfaction data privacy"

    @api.model
    def _nps_export_rows(self, requests):
        """What this addon holds about these requests, one dict per request:
        the survey request, its dates and campaign, the score, comment,
        reasons and further answers, and the follow-up case (for a
        customer's export, see ``nps.privacy.export``)."""
        requests = requests.sudo()

        def moment(value):
            return fields.Datetime.to_string(value) if value else None

        def label(record, name):
            return dict(record._fields[name]._description_selection(self.env)).get(
                record[name]
            )

        rows = []
        for request in requests:
            answer = request.user_input_id
            own = request.campaign_id.score_question_id | (
                request.campaign_id.csat_question_id
            )
            rows.append(
                {
                    "request": request.id,
                    "customer": request.partner_id.display_name,
                    "email": request.partner_id.email or None,
                    "company": request.commercial_partner_id.display_name,
                    "campaign": request.campaign_id.name,
                    "survey": request.campaign_id.survey_id.title,
                    "channel": label(request, "channel"),
                    "state": label(request, "state"),
                    "skip_reason": label(request, "skip_reason"),
                    "scheduled_date": moment(request.scheduled_date),
                    "sent_date": moment(request.sent_date),
                    "reminders": request.reminder_count,
                    "last_reminder_date": moment(request.last_reminder_date),
                    "answer_date": moment(request.answer_date),
                    "ticket": request.ticket_id.display_name or None,
                    "project": request.project_id.display_name or None,
                    "score": request.score if request.nps_category else None,
                    "category": label(request, "nps_category"),
                    "csat": request.csat_score or None,
                    "comment": request.comment or None,
                    "reasons": request.reason_ids.mapped("name"),
                    "answers": [
                        {
                            "question": line.question_id.title,
                            "answer": (
                                line.value_text_box
                                if line.answer_type == "text_box"
                                else line.display_name
                            ),
                        }
                        for line in answer.user_input_line_ids
                        if not line.skipped and line.question_id not in own
                    ],
                    "follow_up": request.followup_ids
                    and {
                        "reason": label(request.followup_ids, "kind"),
                        "state": label(request.followup_ids, "state"),
                        "by": request.followup_ids.user_id.name,
                        "deadline": fields.Date.to_string(
                            request.followup_ids.date_deadline
                        )
                        or None,
                        "escalated": request.followup_ids.escalated,
                        "root_cause": request.followup_ids.root_cause_id.name or None,
                        "outcome": label(request.followup_ids, "outcome"),
                        "action_taken": request.followup_ids.action_taken or None,
                        "closed_date": moment(request.followup_ids.done_date),
                        "recovered": request.followup_ids.recovered,
                    }
                    or None,
                }
            )
        return rows

    @api.model
    def _nps_neutral_text(self, score):
        """What a message or activity about an answer says once the answer's
        texts are gone: its scores (``_nps_score_text``), no name, no
        comment."""
        return Markup("<p>%s</p>") % self.env._(
            "Satisfaction answer: %(score)s. Its comment and personal "
            "details were removed.",
            score=score,
        )

    @api.model
    def _nps_remove_texts(self, requests):
        """Remove the comments and free-text answers of these requests and
        replace the text of the messages and activities this addon wrote
        about them; scores, categories, reasons and dates stay. A few
        queries whatever the number of requests (the texts that replace
        messages differ only by score). Returns the number of comments and
        of free-text answers removed."""
        requests = requests.sudo()
        if not requests:
            return 0, 0
        lines = (
            self.env["survey.user_input.line"]
            .sudo()
            .search(
                [
                    ("user_input_id", "in", requests.user_input_id.ids),
                    ("answer_type", "in", ("char_box", "text_box")),
                ]
            )
        )
        comments = len(requests.filtered("comment"))
        messages = {}
        activities = {}
        for request in requests:
            score = request._nps_score_text()
            messages[score] = messages.get(score, request.nps_message_ids.browse())
            messages[score] |= request.nps_message_ids
            case_activities = request.followup_ids.with_context(
                active_test=False
            ).activity_ids
            if case_activities:
                activities[score] = activities.get(score, case_activities.browse())
                activities[score] |= case_activities
        cases = requests.with_context(active_test=False).followup_ids
        if cases:
            # what was written on the cases: notes, the assignment notice
            # that quotes the answer, mails to the customer (tracking
            # messages have no body)
            case_messages = (
                self.env["mail.message"]
                .sudo()
                .search([("model", "=", "nps.followup"), ("res_id", "in", cases.ids)])
                .filtered("body")
            )
            for case in cases:
                score = case.request_id._nps_score_text()
                messages[score] = messages.get(score, case_messages.browse())
                messages[score] |= case_messages.filtered(
                    lambda m, c=case: m.res_id == c.id
                )
        for score, score_messages in messages.items():
            if score_messages:
                score_messages.write(
                    {"body": self._nps_neutral_text(score), "subject": False}
                )
        for score, score_activities in activities.items():
            score_activities.write({"note": self._nps_neutral_text(score)})
        removed_lines = len(lines)
        lines.unlink()
        requests.write(
            {
                "comment": False,
                "texts_removed_date": fields.Datetime.now(),
            }
        )
        requests.followup_ids.write({"keywords": False, "action_taken": False})
        return comments, removed_lines

    @api.model
    def _nps_anonymize(self, requests, target):
        """Detach these requests and their answers from the customer who
        gave them: the texts go (``_nps_remove_texts``), the answers lose
        their partner, email and name, every link (request and survey answer
        tokens) stops working, the mails and SMS sent about them are deleted,
        surveys still open are closed, and the requests count for ``target``
        (the customer's company, or the shared anonymised customer). Scores,
        categories, dates, campaigns, tickets and teams stay, so the figures
        do not change. Returns what was done, as counts."""
        requests = requests.sudo().with_context(active_test=False)
        if not requests:
            return {}
        former = (requests.partner_id | requests.commercial_partner_id) - target
        comments, free_texts = self._nps_remove_texts(requests)
        sent = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "nps.request"), ("res_id", "in", requests.ids)])
        )
        mails = len(sent)
        # the mails' messages: deleting them deletes the mails (cascade)
        sent.unlink()
        requests.sms_id.sudo().unlink()
        for request in requests:
            request.access_token = token_tools.new_token()
        answers = requests.user_input_id
        answers.write({"partner_id": False, "email": False, "nickname": False})
        for answer in answers:
            answer.access_token = str(uuid.uuid4())
        pending = requests.filtered(lambda r: r.state == "scheduled")
        open_ = requests.filtered(lambda r: r.state == "sent")
        pending._nps_cancel_pending()
        open_._nps_mark_expired()
        summaries = {}
        for request in requests.filtered("followup_ids"):
            case_activities = request.followup_ids.with_context(
                active_test=False
            ).activity_ids
            score = request._nps_score_text()
            summaries.setdefault(score, case_activities.browse())
            summaries[score] |= case_activities
        for score, activities in summaries.items():
            activities.write(
                {
                    "summary": self.env._(
                        "Follow up a satisfaction answer — %(score)s",
                        score=score,
                    )
                }
            )
        requests.write(
            {
                "partner_id": target.id,
                "skip_note": False,
                "device_hash": False,
                "anonymized_date": fields.Datetime.now(),
            }
        )
        # the one-click attempts: the browsers that clicked, their sessions,
        # and an unconfirmed score of a survey now closed, which never counts
        requests.attempt_ids.unlink()
        anonymised = self.env.ref("nps_satisfaction.partner_nps_anonymised")
        (former | target.commercial_partner_id - anonymised)._nps_refresh_stats()
        return {
            "requests": len(requests),
            "comments": comments,
            "free_texts": free_texts,
            "mails": mails,
            "closed": len(pending) + len(open_),
        }

    @api.model
    def _cron_retention(self, batch_size=1000):
        """Remove the comments and free-text answers older than each
        company's retention period (``nps_comment_retention_months``; 0, the
        default, keeps them). In batches, committing after each; a request
        done once is never taken again."""
        cron = self.env["ir.cron"]
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("nps_comment_retention_months", ">", 0)])
        )
        now = fields.Datetime.now()
        for company in companies:
            cutoff = now - relativedelta(months=company.nps_comment_retention_months)
            domain = [
                ("company_id", "=", company.id),
                ("answer_date", "<", cutoff),
                ("texts_removed_date", "=", False),
            ]
            while True:
                requests = (
                    self.env["nps.request"]
                    .sudo()
                    .search(domain, limit=batch_size, order="id")
                )
                if not requests:
                    break
                self._nps_remove_texts(requests)
                if cron._commit_progress(len(requests)) <= 0:
                    return
