from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.nps_answer_service import Posted, Poster
from ..tools import score_tools


class NpsPhoneAnswer(models.TransientModel):
    """Record an answer a customer gave by phone: on a survey already sent,
    or on a new one for the customer of a ticket or project."""

    _name = "nps.phone.answer"
    _description = "Record a satisfaction answer given by phone"

    request_id = fields.Many2one(comodel_name="nps.request")
    campaign_id = fields.Many2one(
        comodel_name="nps.campaign",
        domain=[("trigger", "in", ("ticket_closed", "project_done", "manual"))],
    )
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer")
    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket")
    project_id = fields.Many2one(comodel_name="project.project")
    campaign_measure = fields.Selection(related="campaign_id.measure")
    # Choices rather than integers: a number field would open at a score
    # (0 is one) before the customer has given any.
    score = fields.Selection(
        selection=[(str(score), str(score)) for score in range(11)],
        help="0 to 10, as the customer said it",
    )
    csat_score = fields.Selection(
        selection=[(str(score), str(score)) for score in range(1, 6)],
        string="CSAT",
        help="The satisfaction with the service, 1 to 5.",
    )
    comment = fields.Text()
    reason_ids = fields.Many2many(comodel_name="nps.reason", string="Reasons")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        model, res_id = context.get("active_model"), context.get("active_id")
        if model == "helpdesk.ticket" and res_id:
            ticket = self.env[model].browse(res_id)
            values.update(ticket_id=ticket.id, partner_id=ticket.partner_id.id)
            request = ticket.nps_request_id
        elif model == "project.project" and res_id:
            project = self.env[model].browse(res_id)
            values.update(project_id=project.id, partner_id=project.partner_id.id)
            request = project.nps_request_id
        elif model == "nps.request" and res_id:
            request = self.env[model].browse(res_id)
        else:
            return values
        if request and request.state in ("scheduled", "sent"):
            values.update(
                request_id=request.id,
                campaign_id=request.campaign_id.id,
                partner_id=request.partner_id.id,
            )
        elif "campaign_id" in fields_list:
            trigger = "project_done" if model == "project.project" else "ticket_closed"
            campaign = self.env["nps.campaign"].search(
                [("trigger", "=", trigger)], limit=1
            )
            values.setdefault("campaign_id", campaign.id)
        return values

    def action_record(self):
        self.ensure_one()
        score, csat_score = self._nps_scores()
        request = self._nps_checked_request() or self._create_request()
        request = request.sudo()
        if request.state == "scheduled":
            request._nps_mark_sent()
        self.env["nps.answer.service"]._nps_answer(
            request,
            Posted(
                score=score,
                csat_score=csat_score,
                comment=self.comment,
                reasons=self.reason_ids,
            ),
            Poster(channel="phone"),
        )
        request.sudo().answer_recorded_by_id = self.env.user
        return {"type": "ir.actions.act_window_close"}

    def _nps_checked_request(self):
        """The survey the answer goes to, as the server knows it: the
        wizard's customer and campaign come from the browser, so an answer
        on a survey already sent takes them from that survey, which must be
        the document's and still open; empty when a new one is needed."""
        document = self.ticket_id or self.project_id
        if not self.request_id:
            if document:
                document.check_access("write")
            if document and document.nps_request_ids.filtered(
                lambda r: r.state == "answered"
            ):
                raise UserError(self.env._("This customer has already answered."))
            return self.request_id
        self.request_id.check_access("read")
        request = self.request_id.sudo()
        if document and request[document._nps_request_field] != document:
            raise UserError(
                self.env._(
                    "This survey is not the one of %(document)s.",
                    document=document.display_name,
                )
            )
        if request.state not in ("scheduled", "sent"):
            raise UserError(self.env._("This survey can no longer be answered."))
        return self.request_id

    def _nps_scores(self):
        """(score, CSAT) entered, each checked on its scale, as the campaign
        asks them: the CSAT may be left empty when it follows the score."""
        campaign = self.request_id.campaign_id or self.campaign_id
        score = csat_score = None
        asks_nps = not campaign or campaign._nps_asks(score_tools.NPS)
        asks_csat = bool(campaign) and campaign._nps_asks(score_tools.CSAT)
        if asks_nps:
            try:
                score = score_tools.parse_score(self.score)
            except ValueError as error:
                raise UserError(
                    self.env._("Enter a score between 0 and 10.")
                ) from error
        if asks_csat and (self.csat_score or score is None):
            try:
                csat_score = score_tools.parse_score(self.csat_score, score_tools.CSAT)
            except ValueError as error:
                raise UserError(
                    self.env._("Enter a satisfaction rating between 1 and 5.")
                ) from error
        return score, csat_score

    def _create_request(self):
        """A new survey for the answer given by phone: the customer is the
        document's (a ticket's or a project's), the campaign one that
        surveys such documents in its company. Without a document, only a
        satisfaction manager (who creates surveys) records one."""
        document = self.ticket_id or self.project_id
        if not self.campaign_id:
            raise UserError(self.env._("Choose the campaign."))
        if document:
            partner = document.partner_id
            if not partner:
                raise UserError(
                    self.env._(
                        "%(document)s has no customer to record an answer for.",
                        document=document.display_name,
                    )
                )
        else:
            self.env["nps.request"].check_access("create")
            partner = self.partner_id
            if not partner:
                raise UserError(self.env._("Choose the campaign and the customer."))
        self._nps_check_campaign(document)
        return (
            self.env["nps.schedule"]
            .sudo()
            ._nps_schedule_phone(
                self.campaign_id,
                partner,
                ticket=self.ticket_id,
                project=self.project_id,
            )
        )

    def _nps_check_campaign(self, document):
        """The campaign chosen in the browser, checked on the server: one
        the user may read, active, asking after this kind of document (or
        run by hand), and of the document's company."""
        campaign = self.campaign_id
        campaign.check_access("read")
        triggers = {"manual"}
        if self.ticket_id:
            triggers.add("ticket_closed")
        elif self.project_id:
            triggers.add("project_done")
        else:
            triggers |= {"ticket_closed", "project_done"}
        company = document.company_id if document else self.env["res.company"]
        if (
            not campaign.active
            or campaign.trigger not in triggers
            or (company and campaign.company_id and campaign.company_id != company)
        ):
            raise UserError(
                self.env._(
                    "The campaign %(campaign)s does not survey this document: "
                    "choose a campaign of its kind and company.",
                    campaign=campaign.display_name,
                )
            )
