from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, mute_logger

from ..tools import send_tools


class NpsSchedule(models.AbstractModel):
    """Scheduling the surveys: the request of each surveyed document or
    customer, ``scheduled`` or ``skipped`` with its reason, decided in batch.
    A service, called by the documents (tickets, projects, courses), the
    periodic and manual campaigns and the follow-up survey; whether a
    customer may get a survey is the send policy's to say
    (``nps.send.policy``), when it goes is the dispatch's (``nps.dispatch``)."""

    _name = "nps.schedule"
    _description = "Satisfaction survey scheduling"

    @api.model
    def _nps_schedule(self, candidates):
        """Decide and record, in batch, a request for each candidate.

        ``candidates`` is a list of dicts with ``campaigns`` (the campaigns
        of the trigger, an ``nps.campaign`` recordset), ``partner`` (and
        ``account``, the customer a contact is surveyed for, which the
        campaign's customer filter is checked on),
        ``ticket`` or ``project``, ``origin_date`` and ``agent_opt_out``
        (with ``agent_note``). Each becomes one request, ``scheduled`` or
        ``skipped`` with its reason. No mail is sent here.
        """
        if not candidates:
            return self.env["nps.request"]
        now = fields.Datetime.now()
        partners = self.env["res.partner"].browse(
            {c["partner"].id for c in candidates if c["partner"]}
        )
        # a periodic campaign's contact answers for his account, which the
        # campaign's customer filter chose
        targets = partners | self.env["res.partner"].browse(
            {c["account"].id for c in candidates if c.get("account")}
        )
        all_campaigns = self.env["nps.campaign"].browse(
            {cid for c in candidates for cid in c["campaigns"].ids}
        )
        partner_ok = self._nps_targeted_partners(all_campaigns, targets)
        facts = self.env["nps.send.policy"]._nps_facts(partners)
        vals_list = []
        for candidate in candidates:
            campaign = self._nps_pick_campaign(candidate, partner_ok)
            if not campaign:
                continue
            vals_list.append(
                self._nps_prepare_request_values(candidate, campaign, facts, now)
            )
        return self._nps_create_requests(vals_list)

    @api.model
    def _nps_targeted_partners(self, campaigns, targets):
        """``{campaign id: ids of the targets its customer filter keeps}``:
        one search per campaign."""
        partner_ok = {}
        for campaign in campaigns:
            domain = campaign._get_partner_domain()
            if domain.is_true():
                partner_ok[campaign.id] = set(targets.ids)
            else:
                partner_ok[campaign.id] = set(
                    self.env["res.partner"]
                    .with_context(active_test=False)
                    ._search(Domain("id", "in", targets.ids) & domain)
                )
        return partner_ok

    @api.model
    def _nps_prepare_request_values(self, candidate, campaign, facts, now):
        """The values of this candidate's request for ``campaign``:
        ``skipped`` with the first reason not to survey him (the document's
        first, then the one send policy's, noted in the batch's ``facts``),
        else ``scheduled`` after the campaign's send delay."""
        partner = candidate["partner"]
        vals = {
            "campaign_id": campaign.id,
            "partner_id": partner.id,
            "ticket_id": candidate.get("ticket") and candidate["ticket"].id,
            "project_id": candidate.get("project") and candidate["project"].id,
            "company_id": (
                candidate.get("company") or campaign.company_id or self.env.company
            ).id,
            "channel": "email",
            **candidate.get("extra_values", {}),
        }
        reason = self._nps_document_reason(candidate, campaign, vals)
        if not reason:
            policy = self.env["nps.send.policy"]
            reason, vals["channel"] = policy._nps_reason(
                facts, partner, campaign, "schedule", now=now
            )
            policy._nps_note_decision(facts, partner, reason)
        if reason:
            vals.update(state="skipped", skip_reason=reason)
        else:
            origin = candidate.get("origin_date") or now
            vals.update(
                state="scheduled",
                scheduled_date=origin + timedelta(days=campaign.send_delay_days),
            )
        return vals

    @api.model
    def _nps_document_reason(self, candidate, campaign, vals):
        """The document's reason not to survey this candidate, or False: the
        path's own (``document_reason``), the agent's opt-out (his note goes
        in ``vals``), targeting, the campaign's pilot (which marks ``vals``
        as a pilot's)."""
        reason = candidate.get("document_reason", False)
        if not reason and candidate.get("agent_opt_out"):
            reason = "agent_opt_out"
            vals["skip_note"] = candidate.get("agent_note")
        if not reason and not candidate.get("targeted", True):
            reason = "not_targeted"
        if campaign.pilot_mode:
            vals["pilot"] = True
            if not reason and not campaign._nps_in_pilot(
                candidate["partner"].commercial_partner_id, candidate.get("ticket")
            ):
                reason = "not_in_pilot"
        return reason

    @api.model
    def _nps_create_requests(self, vals_list, bulk=False):
        """The one place requests are created, in batch: every way a survey
        starts (documents, campaigns, newsletters, the counter, a phone
        call, a test, the history) comes through here. ``bulk``: thousands
        of plain column values at once (a newsletter's recipients), the same
        rows inserted in one query per thousand rather than by the ORM's
        create (``nps.request._nps_bulk_insert``)."""
        if bulk:
            return self.env["nps.request"]._nps_bulk_insert(vals_list)
        return self.env["nps.request"].create(vals_list)

    @api.model
    def _nps_schedule_phone(self, campaign, partner, ticket=None, project=None):
        """A survey for an answer given by phone, about ``ticket`` or
        ``project`` when given: due now (its answer is recorded at once)."""
        return self._nps_create_requests(
            [
                {
                    "campaign_id": campaign.id,
                    "partner_id": partner.id,
                    "ticket_id": ticket and ticket.id,
                    "project_id": project and project.id,
                    "channel": "phone",
                    "state": "scheduled",
                    "scheduled_date": fields.Datetime.now(),
                }
            ]
        )

    @api.model
    def _nps_schedule_anonymous(
        self, campaign, device_hash, issuer=False, issued=False
    ):
        """A request for an anonymous answer through ``campaign``'s counter
        link, open for its answer; empty when the device has one in the
        campaign's current period already. The device's period is a unique
        key (``device_slot``): parallel posts of one device make one request,
        the others fail on the key, whatever their timing. ``issuer`` and
        ``issued``: the client the device's cookie was issued to, and when
        (``device_tools.Device``)."""
        campaign.ensure_one()
        partner = self.env.ref("nps_satisfaction.partner_nps_anonymous")
        minutes = campaign.public_rate_minutes
        slot = (
            f"{device_hash}:{int(fields.Datetime.now().timestamp()) // (minutes * 60)}"
            if minutes
            else False
        )
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                request = self._nps_create_requests(
                    [
                        {
                            "campaign_id": campaign.id,
                            "partner_id": partner.id,
                            "company_id": (campaign.company_id or self.env.company).id,
                            "channel": "qr",
                            "anonymous": True,
                            "device_hash": device_hash,
                            "device_slot": slot,
                            "device_issuer": issuer,
                            "device_issued": issued,
                            "state": "scheduled",
                        }
                    ]
                )
                request.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            return self.env["nps.request"]
        request._nps_open_without_email("qr")
        return request

    @api.model
    def _nps_create_test(self, campaign, partner):
        """A test request of ``campaign`` for ``partner``: the preview's,
        rendered and dropped, and the test email's, kept behind its link. A
        request in state ``test`` is counted nowhere and throttles no one."""
        return self._nps_create_requests(
            [
                {
                    "campaign_id": campaign.id,
                    "partner_id": partner.id,
                    "company_id": (campaign.company_id or self.env.company).id,
                    "state": "test",
                    "trigger_date": campaign._nps_customer_date(partner),
                }
            ]
        )

    @api.model
    def _nps_record_history(self, vals_list):
        """Requests of the past (an import of earlier surveys, the demo's
        year of history): answered where they carry an ``answer_date``,
        expired otherwise; no mail, no effects."""
        return self._nps_create_requests(
            [
                dict(vals, state="answered" if vals.get("answer_date") else "expired")
                for vals in vals_list
            ]
        )

    @api.model
    def _nps_pick_campaign(self, candidate, partner_ok):
        """The first campaign of the candidate's trigger that targets it; when
        none does, the first campaign (the request is then not targeted)."""
        campaigns = candidate["campaigns"]
        if not campaigns:
            return campaigns
        ticket = candidate.get("ticket")
        project = candidate.get("project")
        target = candidate.get("account") or candidate["partner"]
        for campaign in campaigns:
            if target.id not in partner_ok[campaign.id]:
                continue
            if ticket and not campaign._nps_targets_ticket(ticket):
                continue
            if (
                project
                and campaign.project_tag_ids
                and not (campaign.project_tag_ids & project.tag_ids)
            ):
                continue
            candidate["targeted"] = True
            return campaign
        candidate["targeted"] = False
        return campaigns[0]

    # --- Periodic campaigns ---

    @api.model
    def _nps_periodic_targets(self, campaign):
        """The customers of this periodic campaign: active commercial
        entities matching the campaign's filter, not the database's own
        companies. Whether each may be surveyed (an address, opt-outs, the
        quiet period...) is the send policy's to say, on its request."""
        campaign.ensure_one()
        return Domain.AND(
            [
                campaign._get_partner_domain(),
                Domain("parent_id", "=", False),
                Domain("active", "=", True),
                Domain("nps_own_company", "=", False),
            ]
        )

    @api.model
    def _nps_schedule_periodic(self, campaign, now=None):
        """Survey today's share of the customers not surveyed by this campaign
        within its period, those waiting longest first. One query selects
        them; the usual rules (quiet period, opt-outs...) then apply."""
        campaign.ensure_one()
        now = now or fields.Datetime.now()
        partners = self.env["res.partner"].with_context(active_test=False)
        period_days = max(campaign.period_months, 1) * 30
        eligible = partners._search(self._nps_periodic_targets(campaign)).subselect()
        self.env["nps.request"].flush_model()
        self.env.cr.execute(
            SQL("SELECT count(*) FROM res_partner WHERE id IN %s", eligible)
        )
        quota = send_tools.daily_quota(self.env.cr.fetchone()[0], period_days)
        if not quota:
            return self.env["nps.request"]
        since = now - timedelta(days=period_days)
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id
                  FROM res_partner p
             LEFT JOIN LATERAL (
                        SELECT max(r.create_date) AS last
                          FROM nps_request r
                         WHERE r.campaign_id = %(campaign)s
                           AND r.commercial_partner_id = p.id
                       ) last_request ON TRUE
                 WHERE p.id IN %(eligible)s
                   AND (last_request.last IS NULL OR last_request.last < %(since)s)
              ORDER BY last_request.last NULLS FIRST, p.id
                 LIMIT %(quota)s
                """,
                campaign=campaign.id,
                eligible=eligible,
                since=since,
                quota=quota,
            )
        )
        targets = partners.browse([row[0] for row in self.env.cr.fetchall()])
        return self.sudo()._nps_schedule(
            self._nps_customer_candidates(campaign, targets, now)
        )

    @api.model
    def _nps_customer_candidates(self, campaign, customers, now):
        """The candidates (see ``_nps_schedule``) of a campaign that surveys
        customers rather than documents, periodic or date-triggered: who
        gets the survey of each customer (see ``_nps_recipients``)."""
        return [
            {
                "campaigns": campaign,
                "partner": recipient,
                "account": account,
                "company": campaign.company_id,
                "origin_date": now,
            }
            for recipient, account in self._nps_recipients(campaign, customers)
        ]

    @api.model
    def _nps_recipients(self, campaign, partners):
        """Who gets this campaign's survey for each of these customers, as
        ``[(recipient, account)]``. A periodic or date-triggered campaign
        that names contact roles asks, for each commercial entity, every
        active contact of those roles, and the entity's own address when it
        has none; a contact chosen by name, and any other campaign, the
        partner itself. Whether each may be surveyed is the send policy's to
        say."""
        campaign.ensure_one()
        codes = campaign.contact_role_ids.mapped("code")
        accounts = partners.filtered(lambda p: p == p.commercial_partner_id)
        if campaign.trigger not in ("periodic", "date") or not codes or not accounts:
            return [(partner, partner) for partner in partners]
        contacts = self.env["res.partner"].search(
            [
                ("commercial_partner_id", "in", accounts.ids),
                ("id", "not in", accounts.ids),
                ("is_company", "=", False),
                ("active", "=", True),
                ("nps_contact_role", "in", codes),
            ],
            order="id",
        )
        by_account = {}
        for contact in contacts:
            by_account.setdefault(contact.commercial_partner_id.id, []).append(contact)
        recipients = []
        for partner in partners:
            if by_account.get(partner.id):
                recipients.extend(
                    (contact, partner) for contact in by_account[partner.id]
                )
            else:
                recipients.append((partner, partner))
        return recipients
