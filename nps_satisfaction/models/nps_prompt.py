from odoo import api, models

#: the cookie that hides the prompt in one browser, and for how long
PROMPT_COOKIE = "nps_prompt_hidden"
PROMPT_HIDE_DAYS = 7


class NpsPrompt(models.AbstractModel):
    """The satisfaction prompt of the portal and the website: a signed-in
    customer with a survey waiting sees its scale at the bottom of the pages
    built on the portal's layout (``/my``, and the website's pages when the
    website is installed). A click posts the score to the survey's answer
    page (``/nps/<token>``), marked channel ``web``, so what follows is the
    email's flow: a provisional score until the same browser confirms it,
    the comment, the thanks."""

    _name = "nps.prompt"
    _description = "Satisfaction prompt on the portal and the website"

    @api.model
    def _nps_prompt_request(self, user=None):
        """The survey the prompt offers ``user`` (sudo, as the prompt needs
        its answer link): the latest open survey sent to the user's own
        contact, never to a colleague of his company, an anonymous counter
        answer or a campaign's test. Nothing for the public user, employees,
        and customers the send policy would not remind now (opted out, their
        company opted out, blacklisted)."""
        user = user or self.env.user
        Request = self.env["nps.request"].sudo()
        if user._is_public() or not user.share:
            return Request.browse()
        partner = user.partner_id.sudo()
        request_sudo = Request.search(
            [
                ("partner_id", "=", partner.id),
                ("state", "=", "sent"),
                ("anonymous", "=", False),
            ],
            order="sent_date desc, id desc",
            limit=1,
        )
        if not request_sudo:
            return Request.browse()
        policy = self.env["nps.send.policy"]
        reason, _channel = policy._nps_reason(
            policy._nps_facts(partner),
            partner,
            request_sudo.campaign_id,
            "remind",
            channel="sms" if request_sudo.channel == "sms" else "email",
        )
        return Request.browse() if reason else request_sudo

    @api.model
    def _nps_prompt_values(self, user=None):
        """What the prompt shows, or None when there is no survey to offer."""
        request_sudo = self._nps_prompt_request(user)
        if not request_sudo:
            return None
        campaign = request_sudo.campaign_id
        document = request_sudo.ticket_id or request_sudo.project_id
        return {
            "action": f"/nps/{request_sudo.access_token}",
            "question": campaign.lead_question_id,
            "about": document.display_name or "",
            "cells": campaign._scale_cells(),
        }
