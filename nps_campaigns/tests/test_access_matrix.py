from odoo.tests import tagged

from odoo.addons.nps_satisfaction.tests.access_common import AccessMatrixCase

from .access_rows import ROWS


@tagged("post_install", "-at_install")
class TestCampaignsAccessMatrix(AccessMatrixCase):
    """nps_campaigns' rows of the access-rights matrix."""

    def setUp(self):
        super().setUp()
        self.segment = self.env["nps.segment"].create(
            {"name": "Main company customers", "company_id": self.env.company.id}
        )

    def test_access_matrix(self):
        self.check_matrix(ROWS)

    def op_read_segment(self, env):
        return self.reach(
            env, self.segment, ["name", "company_id", "partner_count", "mailing_count"]
        )

    def op_write_segment(self, env):
        env["nps.segment"].browse(self.segment.id).write({"name": "Renamed"})
        return True

    def op_create_segment(self, env):
        return env["nps.segment"].create({"name": "New segment"})

    def op_unlink_segment(self, env):
        env["nps.segment"].browse(self.segment.id).unlink()
        return True
