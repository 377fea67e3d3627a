from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import NpsCase

#: the columns that differ between two requests made alike
OWN_COLUMNS = {"id", "access_token", "create_date", "write_date"}


@tagged("post_install", "-at_install")
class TestBulkInsert(NpsCase):
    """The bulk insert of requests (a newsletter's thousands) writes the
    rows the ORM's create writes, column by column."""

    def rows(self, requests):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT * FROM nps_request WHERE id IN %s ORDER BY id", requests._ids)
        )
        return [
            {name: value for name, value in row.items() if name not in OWN_COLUMNS}
            for row in self.env.cr.dictfetchall()
        ]

    def test_bulk_rows_are_the_orms(self):
        now = fields.Datetime.now()
        ticket = self.make_tickets(self.customer_b)
        vals_list = [
            # a contact of a company with an account manager, sent
            {
                "campaign_id": self.campaign.id,
                "partner_id": self.customer_a.id,
                "state": "sent",
                "scheduled_date": now,
                "sent_date": now,
            },
            # a company of its own, skipped with its reason
            {
                "campaign_id": self.campaign.id,
                "partner_id": self.company_b.id,
                "state": "skipped",
                "skip_reason": "agent_opt_out",
                "channel": "sms",
            },
            # a ticket's (its team and agent are read from it)
            {
                "campaign_id": self.campaign.id,
                "partner_id": self.customer_b.id,
                "ticket_id": ticket.id,
                "scheduled_date": now,
            },
        ]
        schedule = self.env["nps.schedule"].sudo()
        created = schedule._nps_create_requests(vals_list)
        inserted = schedule._nps_create_requests(vals_list, bulk=True)
        self.assertEqual(self.rows(inserted), self.rows(created))
        self.assertEqual(len(set(inserted.mapped("access_token"))), 3, "own tokens")
        self.assertIn(inserted[2], ticket.nps_request_ids, "the ticket sees it")
        self.assertEqual(inserted[0].commercial_partner_id, self.company_a)
        self.assertEqual(inserted[0].user_id, self.account_manager)

    def test_derived_values_are_refused(self):
        requests = self.env["nps.request"].sudo()
        with self.assertRaises(ValueError):
            requests._nps_bulk_insert(
                [
                    {
                        "campaign_id": self.campaign.id,
                        "partner_id": self.customer_a.id,
                        "commercial_partner_id": self.company_b.id,
                    }
                ]
            )
