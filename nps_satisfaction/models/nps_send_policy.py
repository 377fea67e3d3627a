from odoo import api, fields, models

from ..tools import send_tools

SENT_STATES = ("sent", "answered", "expired")

#: the purposes the policy is asked for: a survey decided now (scheduling:
#: closed tickets and projects, periodic and manual campaigns, follow-up
#: surveys), a scheduled survey going out (dispatch, by email or SMS), a
#: reminder of a survey sent, a survey sent with a newsletter
PURPOSES = ("schedule", "send", "remind", "newsletter")


class NpsSendPolicy(models.AbstractModel):
    """Whether a customer may get a satisfaction survey now: the one rule
    every path asks (scheduling, dispatch, reminders, SMS, periodic and
    manual campaigns, follow-up surveys, newsletters), with the same inputs,
    checks in the same order and the same reasons:

    1. how to reach the customer: the email (normalised the way
       ``mail.thread.blacklist`` stores it), else the SMS number when the
       campaign sends SMS, else ``no_email``;
    2. ``internal_requester``: the customer is one of our users;
    3. ``customer_opt_out``: the contact or its company asked for no survey;
    4. ``blacklisted``: the email (``mail.blacklist``) or the number
       (``phone.blacklist``) the survey would go to;
    5. what other addons add (``_nps_extra_reason``: the newsletter opt-out);
    6. ``throttled``: a survey was sent to the customer (the company and its
       contacts) within the campaign's quiet period, or another one is
       already waiting to go (not for a reminder of the same survey, nor
       when the campaign ignores the quiet period; a held survey does not
       count). A periodic campaign that surveys the contacts of chosen roles
       asks each of them personally: its quiet period is the contact's own
       (``_nps_per_contact``).

    The document's own reasons (the agent's opt-out, targeting, the pilot)
    come first and are the path's to give (``nps.schedule._nps_schedule``).
    Facts are read once per batch (``_nps_facts``), so a batch of any size
    costs a constant number of queries."""

    _name = "nps.send.policy"
    _description = "Satisfaction survey send policy"

    @api.model
    def _nps_facts(self, partners, mailing=None, exclude_requests=None):
        """What the policy needs to know about these customers, read in a
        few queries: the blacklisted emails and numbers, the internal users'
        partners, and for each commercial entity the last survey sent and
        whether one waits to go. ``exclude_requests`` are left out of the
        entity's state (the requests being decided)."""
        partners = partners.sudo()
        commercials = partners.commercial_partner_id
        last_sent, pending, contact_last_sent, contact_pending = self._nps_entity_state(
            commercials, exclude_requests=exclude_requests, mailing=mailing
        )
        return {
            "blacklisted": self._nps_blacklisted_emails(partners),
            "blacklisted_phones": self._nps_blacklisted_phones(partners),
            "internal": self._nps_internal_partners(partners),
            "last_sent": last_sent,
            "pending": pending,
            "contact_last_sent": contact_last_sent,
            "contact_pending": contact_pending,
            "mailing": mailing,
        }

    @api.model
    def _nps_reason(self, facts, partner, campaign, purpose, channel=None, now=None):
        """``(reason, channel)``: why this customer may not get this
        campaign's survey now (False when it may) and the channel it goes
        by (``email`` or ``sms``; a newsletter's is ``campaign``).
        ``channel`` is the channel already chosen (a scheduled or sent
        survey keeps its own); None lets the policy choose."""
        assert purpose in PURPOSES, purpose
        now = now or fields.Datetime.now()
        commercial = partner.commercial_partner_id
        if purpose == "newsletter":
            channel = "campaign"
        elif channel is None:
            channel = "email"
            if not partner.email_normalized and campaign._nps_sms_number(partner):
                channel = "sms"
        if channel == "sms":
            address = campaign._nps_sms_number(partner)
        else:
            address = partner.email_normalized
        if not address:
            return "no_email", channel
        if partner.id in facts["internal"]:
            return "internal_requester", channel
        if partner.nps_opt_out or commercial.nps_opt_out:
            return "customer_opt_out", channel
        blacklist = (
            facts["blacklisted_phones"] if channel == "sms" else facts["blacklisted"]
        )
        if address in blacklist:
            return "blacklisted", channel
        reason = self._nps_extra_reason(facts, partner, campaign, purpose)
        if reason:
            return reason, channel
        if self._nps_throttled(facts, partner, campaign, purpose, now):
            return "throttled", channel
        return False, channel

    @api.model
    def _nps_throttled(self, facts, partner, campaign, purpose, now):
        """Whether the quiet period holds this customer's survey back (rule
        6 above): a survey was sent to him within the campaign's quiet
        period, or another one already waits to go. Never for a reminder,
        nor for a campaign that ignores the quiet period; the customer is
        the company and its contacts, or the contact himself for a campaign
        that asks each contact (``_nps_per_contact``)."""
        if purpose == "remind" or campaign.ignore_quiet_period:
            return False
        commercial = partner.commercial_partner_id
        if partner != commercial and self._nps_per_contact(campaign):
            key, last_sent = partner.id, facts["contact_last_sent"]
            pending = facts["contact_pending"]
        else:
            key, last_sent, pending = (
                commercial.id,
                facts["last_sent"],
                facts["pending"],
            )
        waiting = purpose != "send" and key in pending
        return waiting or send_tools.within_quiet_period(
            last_sent.get(key), now, campaign.min_days_between
        )

    @api.model
    def _nps_per_contact(self, campaign):
        """Whether this campaign's quiet period is each contact's own: a
        periodic or date-triggered campaign that surveys the contacts of
        chosen roles asks several people of one customer, each once (a
        survey sent to one of them does not silence the others). Others
        count the customer's surveys as a whole (the company and its
        contacts)."""
        return campaign.trigger in ("periodic", "date") and bool(
            campaign.contact_role_ids
        )

    @api.model
    def _nps_extra_reason(self, facts, partner, campaign, purpose):
        """A further reason other addons give (see ``nps_campaigns``)."""
        return False

    @api.model
    def _nps_note_decision(self, facts, partner, reason):
        """Record a decision in the batch's facts, so that the next customer
        of the same company in the batch sees it (one survey per company)."""
        if not reason:
            facts["pending"].add(partner.commercial_partner_id.id)
            facts["contact_pending"].add(partner.id)

    @api.model
    def _nps_note_sent(self, facts, partner, now):
        """Record a survey going out in the batch's facts, so that the next
        one of the same customer (or, for a campaign asking each contact, of
        the same contact) in the batch sees it."""
        facts["last_sent"][partner.commercial_partner_id.id] = now
        facts["contact_last_sent"][partner.id] = now

    # --- Facts ---

    @api.model
    def _nps_internal_partners(self, partners):
        """Ids of these partners that are one of our (internal) users."""
        if not partners:
            return set()
        rows = (
            self.env["res.users"]
            .sudo()
            ._read_group(
                [("partner_id", "in", partners.ids), ("share", "=", False)],
                ["partner_id"],
            )
        )
        return {partner.id for (partner,) in rows}

    @api.model
    def _nps_blacklisted_emails(self, partners):
        # the stored normalized address (mail.thread.blacklist), not a parse
        # of each partner's email
        emails = set(partners.mapped("email_normalized")) - {False}
        if not emails:
            return set()
        rows = (
            self.env["mail.blacklist"]
            .sudo()
            ._read_group([("email", "in", list(emails))], ["email"])
        )
        return {email for (email,) in rows}

    @api.model
    def _nps_blacklisted_phones(self, partners):
        numbers = {p._phone_format(fname="phone") for p in partners if p.phone} - {
            False
        }
        if not numbers:
            return set()
        rows = (
            self.env["phone.blacklist"]
            .sudo()
            ._read_group([("number", "in", list(numbers))], ["number"])
        )
        return {number for (number,) in rows}

    @api.model
    def _nps_entity_state(self, commercials, exclude_requests=None, mailing=None):
        """For each commercial entity, and each of its contacts: the last
        time a survey was sent, and whether one waits to go (scheduled and
        not held). One query each."""
        if not commercials:
            return {}, set(), {}, set()
        Request = self.env["nps.request"].sudo()
        Request.flush_model(
            ["commercial_partner_id", "partner_id", "sent_date", "state", "held_since"]
        )
        exclude = list(exclude_requests.ids) if exclude_requests else []
        last_sent, contact_last_sent = {}, {}
        for commercial, partner, date in Request._read_group(
            self._nps_sent_domain(commercials, mailing) + [("id", "not in", exclude)],
            ["commercial_partner_id", "partner_id"],
            ["sent_date:max"],
        ):
            if not date:
                continue
            contact_last_sent[partner.id] = date
            if date > last_sent.get(commercial.id, date.min):
                last_sent[commercial.id] = date
        pending, contact_pending = set(), set()
        for commercial, partner in Request._read_group(
            [
                ("commercial_partner_id", "in", commercials.ids),
                ("state", "=", "scheduled"),
                ("held_since", "=", False),
                ("id", "not in", exclude),
            ],
            ["commercial_partner_id", "partner_id"],
        ):
            pending.add(commercial.id)
            contact_pending.add(partner.id)
        return last_sent, pending, contact_last_sent, contact_pending

    @api.model
    def _nps_sent_domain(self, commercials, mailing=None):
        """The surveys that count in a quiet period."""
        return [
            ("commercial_partner_id", "in", commercials.ids),
            ("state", "in", SENT_STATES),
        ]
