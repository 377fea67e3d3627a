import uuid

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..tools import token_tools


def _moment(value):
    """A date and time as the export writes it, None when unset."""
    return fields.Datetime.to_string(value) if value else None


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
        return [self._nps_export_row(request) for request in requests.sudo()]

    @api.model
    def _nps_export_row(self, request):
        """The export's row of one request (see ``_nps_export_rows``)."""
        label = self._nps_export_label
        return {
            "request": request.id,
            "customer": request.partner_id.display_name,
            "email": request.partner_id.email or None,
            "company": request.commercial_partner_id.display_name,
            "campaign": request.campaign_id.name,
            "survey": request.campaign_id.survey_id.title,
            "channel": label(request, "channel"),
            "state": label(request, "state"),
            "skip_reason": label(request, "skip_reason"),
            "scheduled_date": _moment(request.scheduled_date),
            "sent_date": _moment(request.sent_date),
            "reminders": request.reminder_count,
            "last_reminder_date": _moment(request.last_reminder_date),
            "answer_date": _moment(request.answer_date),
            "ticket": request.ticket_id.display_name or None,
            "project": request.project_id.display_name or None,
            "score": request.score if request.nps_category else None,
            "category": label(request, "nps_category"),
            "csat": request.csat_score or None,
            "comment": request.comment or None,
            "reasons": request.reason_ids.mapped("name"),
            "answers": self._nps_export_answers(request),
            "follow_up": self._nps_export_case(request.followup_ids),
        }

    @api.model
    def _nps_export_answers(self, request):
        """The request's further answers in the survey (its questions other
        than the campaign's score and CSAT), as question and answer."""
        own = request.campaign_id.score_question_id | (
            request.campaign_id.csat_question_id
        )
        return [
            {
                "question": line.question_id.title,
                "answer": line.nps_answer_text,
            }
            for line in request.user_input_id.user_input_line_ids
            if not line.skipped and line.question_id not in own
        ]

    @api.model
    def _nps_export_case(self, case):
        """The export of a request's follow-up case, None without one."""
        if not case:
            return None
        label = self._nps_export_label
        return {
            "reason": label(case, "kind"),
            "state": label(case, "state"),
            "by": case.user_id.name,
            "deadline": fields.Date.to_string(case.date_deadline) or None,
            "escalated": case.escalated,
            "root_cause": case.root_cause_id.name or None,
            "outcome": label(case, "outcome"),
            "action_taken": case.action_taken or None,
            "closed_date": _moment(case.done_date),
            "recovered": case.recovered,
        }

    @api.model
    def _nps_export_terminations(self, terminations):
        """What this addon holds about these terminations, one dict each
        (for a customer's export, see ``nps.privacy.export``)."""
        label = self._nps_export_label
        return [
            {
                "customer": termination.partner_id.display_name,
                "notice_date": fields.Date.to_string(termination.notice_date),
                "end_date": fields.Date.to_string(termination.end_date) or None,
                "reason": termination.reason_id.name or None,
                "services": termination.service_type_ids.mapped("name"),
                "state": label(termination, "state"),
                "note": html2plaintext(termination.note or "") or None,
            }
            for termination in terminations.sudo()
        ]

    @api.model
    def _nps_forget_termination_texts(self, terminations):
        """The notes of these terminations and what users wrote in their
        chatter go; the terminations stay (the churn figures count them).
        Returns how many terminations were touched."""
        terminations = terminations.sudo()
        if not terminations:
            return 0
        terminations.write({"note": False})
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "nps.termination"),
                    ("res_id", "in", terminations.ids),
                    # what users, mails and integrations posted
                    # (message_post's default type is a notification)
                    (
                        "message_type",
                        "in",
                        ("comment", "email", "notification", "auto_comment"),
                    ),
                    ("body", "!=", False),
                ]
            )
        )
        if messages:
            messages.write(
                {
                    "body": Markup("<p>%s</p>")
                    % self.env._("Text removed on the customer's request."),
                    "subject": False,
                }
            )
            messages.attachment_ids.unlink()
        return len(terminations)

    @api.model
    def _nps_export_label(self, record, name):
        """The label of the selection ``name`` of ``record``, as the user
        reads it."""
        return dict(record._fields[name]._description_selection(self.env)).get(
            record[name]
        )

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
        messages, activities = self._nps_texts_by_score(requests)
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
        requests._nps_forget_themes()
        requests.followup_ids.write({"keywords": False, "action_taken": False})
        return comments, removed_lines

    @api.model
    def _nps_texts_by_score(self, requests):
        """The messages and the activities this addon wrote about these
        requests and their follow-up cases, each grouped by the scores of
        its answer (``_nps_score_text``): ``(messages, activities)``."""
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
        return messages, activities

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
        mails = self._nps_delete_sent(requests)
        self._nps_revoke_links(requests)
        closed = self._nps_close_open(requests)
        self._nps_neutral_summaries(requests)
        requests.write(
            {
                "partner_id": target.id,
                "skip_note": False,
                "device_hash": False,
                "device_issuer": False,
                "device_issued": False,
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
            "closed": closed,
        }

    @api.model
    def _nps_delete_sent(self, requests):
        """Delete the mails and SMS sent about these requests; returns the
        number of mails."""
        sent = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "nps.request"), ("res_id", "in", requests.ids)])
        )
        mails = len(sent)
        # the mails' messages: deleting them deletes the mails (cascade)
        sent.unlink()
        requests.sms_id.sudo().unlink()
        return mails

    @api.model
    def _nps_revoke_links(self, requests):
        """Every link of these requests stops working (new request and
        survey answer tokens), and their survey answers lose the customer's
        partner, email and name."""
        for request in requests:
            request.access_token = token_tools.new_token()
        answers = requests.user_input_id
        answers.write({"partner_id": False, "email": False, "nickname": False})
        for answer in answers:
            answer.access_token = str(uuid.uuid4())

    @api.model
    def _nps_close_open(self, requests):
        """Close the surveys of these requests still open: those not sent
        yet are cancelled, those sent expire. Returns how many were
        closed."""
        pending = requests.filtered(lambda r: r.state == "scheduled")
        open_ = requests.filtered(lambda r: r.state == "sent")
        pending._nps_cancel_pending()
        open_._nps_mark_expired()
        return len(pending) + len(open_)

    @api.model
    def _nps_neutral_summaries(self, requests):
        """The activities of these requests' follow-up cases name no one:
        their summary says the answer's scores only."""
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
