from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..tools import score_tools


class NpsAnswerEffects(models.AbstractModel):
    """What a customer's answer sets going: the customer's figures and
    health, the post on the ticket or project, the follow-up case of a
    detractor (and the ticket reopened), the satisfaction alerts, the
    recovery of an earlier detractor, the promoter's thanks.

    A service, applied once per recorded answer (``effects_pending`` on the
    request) with a constant number of queries: at once where an agent or a
    job records the answer, and by the job of this model, triggered at once,
    where the customer answers on a public page, so that the customer's page
    does not wait for the account manager's case and its email."""

    _name = "nps.answer.effects"
    _description = "Effects of a satisfaction answer"

    @api.model
    def _cron_apply(self, batch_size=200):
        """Apply the pending effects of the answers, in batches, committing
        after each one. Rows an answer page holds are left for the next run."""
        cron = self.env["ir.cron"]
        while True:
            self.env["nps.request"].flush_model(["effects_pending"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM nps_request
                     WHERE effects_pending
                     ORDER BY answer_date, id
                     LIMIT %s
                       FOR UPDATE SKIP LOCKED
                    """,
                    batch_size,
                )
            )
            requests = self.env["nps.request"].browse(
                [row[0] for row in self.env.cr.fetchall()]
            )
            if not requests:
                break
            self._nps_apply(requests)
            if cron._commit_progress(len(requests)) <= 0:
                break

    @api.model
    def _nps_defer(self):
        """Leave the pending effects to this model's job, run at once: the
        job is woken up unless a wake-up is pending already (it then takes
        this answer with the others; a trigger and its notification per
        answer would cost each answer page more than the effects' share).
        The job is found by its XML id's cached id, without ``env.ref``'s
        query checking that it still exists (deleting a record deletes its
        XML id)."""
        cron = (
            self.env["ir.cron"]
            .sudo()
            .browse(
                self.env["ir.model.data"]._xmlid_to_res_id(
                    "nps_satisfaction.ir_cron_nps_answer_effects",
                    raise_if_not_found=True,
                )
            )
        )
        pending = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count(
                [("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())],
                limit=1,
            )
        )
        if not pending:
            cron._trigger()

    @api.model
    def _nps_apply(self, requests):
        """Apply the pending effects of these requests' answers, in the
        order they were given."""
        pending = requests.sudo().filtered("effects_pending")
        # the survey answers are made when the customer has answered (most
        # customers never do: an empty answer each would only weigh on the
        # sending and on the survey's figures), the whole batch at once
        unmade = pending.filtered(lambda r: not r.user_input_id)
        if unmade:
            self.env["survey.user_input"].sudo()._nps_create_for(unmade)
        # what the comments talk about, before the notes and alerts show it:
        # the whole batch at once
        pending._nps_tag_themes()
        for request in pending.sorted(
            lambda r: (r.answer_date or fields.Datetime.now(), r.id)
        ):
            self._nps_apply_one(request, request._nps_document().sudo())

    @api.model
    def _nps_apply_one(self, request_sudo, document):
        """The effects of one answer to a survey about ``document`` (its
        ticket or project, if any); its comment is tagged already."""
        request_sudo._nps_copy_to_survey_answer()
        request_sudo._nps_close_survey_answer()
        first_answer = not request_sudo.effects_date
        campaign = request_sudo.campaign_id
        commercial = request_sudo.commercial_partner_id
        # the account as it was: its alerts compare the account view (each
        # contact's latest answer once), not one answer with the previous
        before = {
            "category": commercial.nps_account_category,
            "score": commercial.nps_account_score,
            "csat": commercial.csat_avg,
            "csat_answers": commercial.csat_answer_count,
            "answers": commercial.nps_account_respondents,
        }
        values = {"effects_pending": False}
        if first_answer:
            values["effects_date"] = fields.Datetime.now()
            self._nps_post_on_document(request_sudo, document)
        request_sudo.write(values)
        if request_sudo.anonymous:
            return
        if not first_answer:
            request_sudo.followup_ids._nps_refresh_activity_note()
        if request_sudo.nps_category == "detractor" and not request_sudo.followup_ids:
            self.env["nps.followup"]._nps_open(request_sudo, "detractor")
            if campaign.reopen_ticket_on_detractor:
                self._nps_reopen_ticket(request_sudo.ticket_id)
        if request_sudo.origin_request_id and request_sudo.nps_category in (
            "passive",
            "promoter",
        ):
            request_sudo.origin_request_id.followup_ids.recovered = True
        customers = request_sudo.partner_id | commercial
        customers._nps_refresh_stats()
        # the alerts at each change of the answer: the comment (and the CSAT
        # asked beside it) usually come a moment after the score that
        # confirmed the answer; one case per answer at most
        if self._nps_check_alert(request_sudo, campaign, before):
            # the alert's case is open: the health says so
            customers._nps_refresh_stats()
        self._nps_alert_themes(request_sudo)
        if first_answer and request_sudo.nps_category == "promoter":
            self._nps_thank_promoter(request_sudo, campaign)

    @api.model
    def _nps_check_alert(self, request, campaign, before):
        """Raise a satisfaction alert for this answer when the customer's
        account moved down with it (``_nps_alert_reason``) or the comment
        holds an alarming keyword: a follow-up case for the account manager
        and a message to the campaign's followers. One case per answer at
        most: a keyword found in a detractor's comment is noted on the
        detractor's case. Returns the case it opened (none: a falsy
        value)."""
        request.ensure_one()
        company = request.company_id or self.env.company
        request_sudo = request.sudo()
        keywords = self.env["nps.alert.keyword"]._nps_match(
            request.comment,
            company,
            # the comment's own language, told when its themes were found
            lang=request_sudo.comment_lang or request_sudo._nps_customer_lang(),
        )
        case = request_sudo.followup_ids[:1]
        if keywords:
            reason = "keyword"
        elif case:
            return
        else:
            reason = self._nps_alert_reason(request, company, before)
        if not reason:
            return
        keywords = ", ".join(keywords) or False
        opened = self.env["nps.followup"]
        if case:
            if case.keywords:
                return opened
            case.keywords = keywords
        else:
            case = opened = self.env["nps.followup"]._nps_open(
                request, reason, keywords=keywords
            )
        self._nps_post_alert(request, campaign, case, reason)
        return opened

    @api.model
    def _nps_alert_reason(self, request, company, before):
        """Why the customer's account moved down with this answer, or False:
        its category (from the account NPS over each contact's latest
        answer) downgraded, its average score dropped by the configured
        points, or its CSAT fell under the threshold. One contact's lower
        score among satisfied colleagues moves the account little and raises
        nothing by itself."""
        commercial = request.commercial_partner_id.sudo()
        if before["answers"] and score_tools.is_downgrade(
            before["category"], commercial.nps_account_category
        ):
            return "downgrade"
        if (
            before["answers"]
            and request.nps_category
            and company.nps_health_drop_points
            and round(before["score"] - commercial.nps_account_score, 6)
            >= company.nps_health_drop_points
        ):
            return "drop"
        if (
            request.csat_score
            and commercial.csat_answer_count
            and commercial.csat_avg < company.nps_health_csat_min
            and not (
                before["csat_answers"] and before["csat"] < company.nps_health_csat_min
            )
        ):
            return "low_csat"
        return False

    @api.model
    def _nps_alert_themes(self, request_sudo):
        """A detractor, or a customer not satisfied on the 1-5 scale, whose
        comment mentions a theme with a responsible: the responsible gets an
        activity on the answer's follow-up case (opened if none is)."""
        if not request_sudo.theme_ids.filtered("user_id"):
            return
        unhappy = request_sudo.nps_category == "detractor" or (
            request_sudo.csat_score
            and score_tools.csat_level(request_sudo.csat_score)
            in (score_tools.DISSATISFIED, score_tools.NEUTRAL)
        )
        if not unhappy:
            return
        case = request_sudo.followup_ids[:1] or self.env["nps.followup"]._nps_open(
            request_sudo, "low_csat"
        )
        case._nps_alert_theme_owners()

    @api.model
    def _nps_post_alert(self, request, campaign, case, reason):
        """Tell the campaign's followers about the alert: the customer, why,
        and the link to the case. Never the score or the comment: every
        employee reads a campaign's chatter, the case is for those who
        follow the customer up (its record rules)."""
        request.ensure_one()
        request_sudo = request.sudo()
        kinds = self.env["nps.followup"]._fields["kind"]
        reason_label = dict(kinds._description_selection(self.env))[reason]
        summary = self.env._(
            "Satisfaction alert: %(customer)s — %(reason)s",
            customer=request.commercial_partner_id.display_name,
            reason=reason_label,
        )
        message = campaign.sudo().message_post(
            body=self.env["ir.qweb"]._render(
                "nps_satisfaction.message_nps_alert",
                {
                    "nps_request": request_sudo,
                    "nps_followup": case.sudo(),
                    "reason": reason_label,
                },
            ),
            subject=summary,
            subtype_xmlid="mail.mt_comment",
            message_type="notification",
        )
        request_sudo.nps_message_ids = [Command.link(message.id)]

    @api.model
    def _nps_post_on_document(self, request_sudo, document):
        if not document:
            return
        # the note reads in the language of whoever works the document (its
        # agent, its project manager), else of its company
        reader = document.user_id.partner_id or document.company_id.partner_id
        lang = reader.lang or self.env.lang
        message = document.with_context(lang=lang).message_post_with_source(
            "nps_satisfaction.message_nps_answer",
            render_values={"nps_request": request_sudo.with_context(lang=lang)},
            subtype_xmlid="mail.mt_note",
        )
        request_sudo.nps_message_ids = [Command.link(m.id) for m in message]

    @api.model
    def _nps_reopen_ticket(self, ticket):
        if not ticket or not ticket.stage_id.closed:
            return
        stages = (
            self.env["helpdesk.ticket.stage"]
            .sudo()
            .search([("closed", "=", False)], order="sequence, id")
        )
        stage = stages.filtered(
            lambda s: not s.team_ids or ticket.team_id in s.team_ids
        )[:1]
        if stage:
            ticket.write({"stage_id": stage.id})

    @api.model
    def _nps_thank_promoter(self, request_sudo, campaign):
        template = campaign.promoter_template_id
        if template and request_sudo.partner_id.email:
            template.sudo().send_mail(request_sudo.id, email_layout_xmlid=False)
