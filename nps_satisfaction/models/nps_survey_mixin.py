from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import score_tools


class NpsSurveyMixin(models.AbstractModel):
    """A document whose completion surveys its customer: a helpdesk ticket, an
    installation project. Inheriting models define ``nps_request_ids`` (the
    requests pointing to them) and ``_nps_prepare_candidate``."""

    _name = "nps.survey.mixin"
    _description = "Document with a satisfaction survey"

    #: the nps.request field pointing to the document, and the campaign trigger
    _nps_request_field = None
    _nps_trigger = None
    #: the field of the document's stage that marks it done (surveyed)
    _nps_done_flag = None

    nps_request_id = fields.Many2one(
        comodel_name="nps.request",
        string="Satisfaction survey",
        compute="_compute_nps_request_id",
    )
    nps_request_state = fields.Selection(
        # the request's states, as they read in the user's language
        selection=lambda self: self.env["nps.request"]
        ._fields["state"]
        ._description_selection(self.env),
        string="Survey status",
        compute="_compute_nps_request_id",
    )
    nps_score = fields.Integer(string="NPS score", compute="_compute_nps_request_id")
    nps_category = fields.Selection(
        selection=score_tools.CATEGORY_SELECTION,
        string="NPS category",
        compute="_compute_nps_request_id",
    )
    nps_comment = fields.Text(
        string="Customer comment", compute="_compute_nps_request_id"
    )
    nps_csat_score = fields.Integer(
        string="CSAT (1-5)", compute="_compute_nps_request_id"
    )
    nps_theme_ids = fields.Many2many(
        comodel_name="nps.theme",
        string="Comment themes",
        compute="_compute_nps_request_id",
        help="What the customer's comment talks about.",
    )
    nps_hold_reason = fields.Selection(
        selection=lambda self: self.env["nps.request"]
        ._fields["hold_reason"]
        ._description_selection(self.env),
        string="Survey held because",
        compute="_compute_nps_request_id",
        help="The survey is scheduled but waits until the customer's other "
        "ticket or follow-up is settled.",
    )
    nps_held_since = fields.Datetime(
        string="Survey held since", compute="_compute_nps_request_id"
    )
    nps_request_skip_reason = fields.Selection(
        selection=lambda self: self.env["nps.request"]
        ._fields["skip_reason"]
        ._description_selection(self.env),
        string="Not sent because",
        compute="_compute_nps_request_id",
    )

    nps_further_answer_ids = fields.Many2many(
        comodel_name="survey.user_input.line",
        string="Further answers",
        compute="_compute_nps_further_answer_ids",
        groups="nps_satisfaction.group_nps_user",
        help="The customer's answers to the survey's other questions.",
    )

    @api.depends(
        "nps_request_ids.state",
        "nps_request_ids.score",
        "nps_request_ids.nps_category",
        "nps_request_ids.comment",
        "nps_request_ids.csat_score",
        "nps_request_ids.hold_reason",
        "nps_request_ids.held_since",
        "nps_request_ids.skip_reason",
        "nps_request_ids.theme_ids",
    )
    def _compute_nps_request_id(self):
        for document in self:
            request = document.nps_request_ids.sorted("id", reverse=True)[:1]
            document.nps_request_id = request
            document.nps_request_state = request.state
            document.nps_score = request.score
            document.nps_category = request.nps_category
            document.nps_comment = request.comment
            document.nps_csat_score = request.csat_score
            document.nps_theme_ids = request.theme_ids
            held = request.state == "scheduled" and request.hold_reason
            document.nps_hold_reason = held or False
            document.nps_held_since = held and request.held_since
            document.nps_request_skip_reason = (
                request.state == "skipped" and request.skip_reason
            ) or False

    @api.depends("nps_request_id")
    def _compute_nps_further_answer_ids(self):
        for document in self:
            document.nps_further_answer_ids = document.nps_request_id.further_answer_ids

    def write(self, vals):
        if "stage_id" not in vals or not self._nps_done_flag:
            return super().write(vals)
        flag = self._nps_done_flag
        was_done = {document.id: document.stage_id[flag] for document in self}
        result = super().write(vals)
        reached = self.filtered(lambda d: d.stage_id[flag] and not was_done[d.id])
        left = self.filtered(lambda d: was_done[d.id] and not d.stage_id[flag])
        if reached:
            reached._nps_stage_reached()
        if left:
            left._nps_stage_left()
        return result

    def _nps_stage_reached(self):
        """These documents just reached a stage that marks them done: their
        survey is scheduled (other addons add what else then starts).
        Returns the requests recorded."""
        return self._nps_schedule_survey()

    def _nps_stage_left(self):
        """These documents left their done stage (reopened): a survey not
        yet sent is cancelled."""
        self.nps_request_ids._nps_cancel_pending()

    def _nps_schedule_survey(self):
        """Record, for each of these documents, the survey to send or why none
        will be sent. No mail goes out here."""
        requests = self.env["nps.request"].sudo()
        if not self or self.env.context.get("nps_history"):
            # documents recorded as history (an import of past tickets, the
            # demo's year) are not surveyed: their customers were long ago
            return requests
        campaigns = (
            self.env["nps.campaign"]
            .sudo()
            .search([("trigger", "=", self._nps_trigger)])
        )
        if not campaigns:
            return requests
        documents = self.sudo()
        has_request = {
            document.id
            for (document,) in requests._read_group(
                [
                    (self._nps_request_field, "in", documents.ids),
                    ("state", "in", ("scheduled", "sent", "answered")),
                ],
                [self._nps_request_field],
            )
        }
        candidates = []
        for document in documents:
            if document.id in has_request or not document.partner_id:
                continue
            # a document without a company (a project without analytic
            # account, say) is served by any campaign, in the campaign's
            # company or the current one
            company = document.company_id
            company_campaigns = campaigns.filtered(
                lambda c, company=company: not c.company_id
                or not company
                or c.company_id == company
            )
            candidate = document._nps_prepare_candidate(
                company_campaigns or campaigns[:1]
            )
            if not company_campaigns:
                # no campaign of its company: the request says why
                candidate["document_reason"] = "other_company"
            candidates.append(candidate)
        return self.env["nps.schedule"].sudo()._nps_schedule(candidates)

    def _nps_portal_survey(self, partner=None):
        """The survey of this document that the signed-in customer (or
        ``partner``) can still answer (sudo), or an empty recordset. The
        portal reads its documents as the superuser: its pages pass the
        visitor's partner."""
        self.ensure_one()
        partner = partner or self.env.user.partner_id
        return (
            self.sudo()
            .nps_request_ids.filtered(
                lambda r: r.state == "sent" and r.partner_id == partner
            )
            .sorted("id", reverse=True)[:1]
        )

    def action_nps_print_qr(self):
        """Print the survey's QR code (e.g. with an installation report): a
        survey still scheduled is opened for answers at once, without email.
        Only satisfaction managers print (the code answers as the customer);
        the survey keeps who printed it and when."""
        self.ensure_one()
        self.env["nps.request"]._nps_check_print_qr()
        request = (
            self.sudo()
            .nps_request_ids.filtered(lambda r: r.state in ("scheduled", "sent"))
            .sorted("id", reverse=True)[:1]
        )
        if not request:
            raise UserError(
                self.env._("There is no survey waiting for an answer to print.")
            )
        if request.state == "scheduled":
            request._nps_open_without_email("qr")
        request.write(
            {"qr_printed_by_id": self.env.uid, "qr_printed_date": fields.Datetime.now()}
        )
        return self.env.ref("nps_satisfaction.action_report_nps_qr").report_action(
            request, config=False
        )

    def _nps_prepare_candidate(self, campaigns):
        """The scheduling candidate of this document (nps.schedule._nps_schedule)."""
        raise NotImplementedError

    def action_view_nps_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nps_satisfaction.action_nps_request"
        )
        action["domain"] = [(self._nps_request_field, "=", self.id)]
        return action
