"""Onboarding links that open no customer's door to a stranger:

- the people who joined a customer's onboarding through its company link
  (created by the public page, not by an internal user) become learners of
  that customer instead of its contacts, so their portal accounts read none
  of its tickets, projects, invoices or contacts; an internal user can make
  any of them a contact again;
- onboarding enrolments carry their company;
- personal links get their end date, from the upgrade on;
- company links stay on, with the domains of the customer's contacts as its
  known domains;
- the onboarding emails lose their "no password needed" and gain the link's
  end date and an unsubscribe link: their templates are data an update keeps
  as they were (``noupdate``), so their body is read again from the data
  file, with its translations."""

import logging
from datetime import timedelta

from lxml import etree

from odoo import SUPERUSER_ID, api, fields
from odoo.tools.misc import file_path

_logger = logging.getLogger(__name__)

TEMPLATES = ("mail_template_onboarding_invitation", "mail_template_onboarding_reminder")


def _refresh_templates(env):
    tree = etree.parse(file_path("nps_elearning/data/mail_template_data.xml"))
    for xmlid in TEMPLATES:
        template = env.ref(f"nps_elearning.{xmlid}", raise_if_not_found=False)
        field = tree.find(f".//record[@id='{xmlid}']/field[@name='body_html']")
        if not template or field is None:
            continue
        # as Odoo's data loader reads an html field
        template.with_context(lang="en_US").body_html = "".join(
            etree.tostring(node, method="html", encoding="unicode") for node in field
        )
    langs = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    if langs:
        env["ir.module.module"]._load_module_terms(
            ["nps_elearning"], langs, overwrite=True
        )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    public = env.ref("base.public_user")
    Member = env["slide.channel.partner"]
    joined = Member.search(
        [("nps_source", "=", "company_link"), ("partner_id.parent_id", "!=", False)]
    ).partner_id.filtered(lambda p: p.create_uid == public)
    for partner in joined:
        partner.write(
            {
                "nps_learner_customer_id": partner.commercial_partner_id.id,
                "parent_id": False,
            }
        )
    _logger.info("Onboarding: %s joiners made learners, not contacts", len(joined))

    members = Member.search([("nps_onboarding", "=", True)])
    for member in members.filtered(lambda m: not m.nps_company_id):
        member.nps_company_id = (
            member.nps_commercial_partner_id.company_id or env.company
        )
    now = fields.Datetime.now()
    for member in members.filtered(
        lambda m: m.nps_access_token and not m.nps_access_expiry
    ):
        company = member.nps_company_id or env.company
        member.nps_access_expiry = now + timedelta(
            days=company.nps_onboarding_link_days or 14
        )
    companies = env["res.partner"].search([("nps_onboarding_token", "!=", False)])
    for company in companies:
        company.write(
            {
                "nps_onboarding_join_active": True,
                "nps_onboarding_domains": company.nps_onboarding_domains
                or company._nps_onboarding_default_domains(),
            }
        )
    _refresh_templates(env)
    _logger.info(
        "Onboarding: %s enrolments given their company and link end, "
        "%s company links kept on",
        len(members),
        len(companies),
    )
