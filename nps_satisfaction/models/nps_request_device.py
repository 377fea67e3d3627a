"""The device of an answer given through a campaign's counter link: known
by keyed hashes only, for the per-device and per-network limits."""

from odoo import fields, models

from ..tools.groups import STAFF


class NpsRequest(models.Model):
    _inherit = "nps.request"  # pylint: disable=consider-merging-classes-inherited

    device_slot = fields.Char(
        readonly=True,
        copy=False,
        groups=STAFF,
        help="The counter device and its period: one answer each.",
    )
    device_hash = fields.Char(
        readonly=True,
        index="btree_not_null",
        help="A one-way hash of the answering device, for the counter link's "
        "rate limit.",
        groups=STAFF,
    )
    device_issuer = fields.Char(
        string="Device cookie issued to",
        readonly=True,
        copy=False,
        groups=STAFF,
        help="A one-way hash of the client (network and browser) the "
        "device's cookie was issued to: the cookies one client gathered "
        "within a period count as one device.",
    )
    device_issued = fields.Datetime(
        string="Device cookie issued on",
        readonly=True,
        copy=False,
        groups=STAFF,
        help="When the device's cookie was issued (the answer's time for a "
        "device known by its network and browser).",
    )

    _device_slot_unique = models.UniqueIndex(
        "(device_slot) WHERE device_slot IS NOT NULL"
    )
    _device_issuer_idx = models.Index(
        "(campaign_id, device_issuer, device_issued) WHERE device_issuer IS NOT NULL"
    )
