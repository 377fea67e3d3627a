from markupsafe import Markup

from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from ..tools import stats_tools


class NpsDropAlertMixin(models.AbstractModel):
    """A record whose NPS is watched for significant drops (a helpdesk team,
    a campaign): the day of its last alert, and the alert itself, a note in
    its chatter for its responsible (``_nps_drop_alert_recipient``). The
    comparison is ``nps.drop.alert``'s."""

    _name = "nps.drop.alert.mixin"
    _description = "Satisfaction drop alerts"

    nps_drop_alert_date = fields.Date(
        string="Last satisfaction drop alert",
        readonly=True,
        copy=False,
        help="The day the last significant drop of its NPS was notified: "
        "one alert a period at most.",
    )

    def _nps_drop_alert_recipient(self):
        """The user the alert is for (empty: the note stays in the
        chatter)."""
        return self.env["res.users"]

    def _nps_claim_drop_alert(self, start, today):
        """Mark the alert of the period starting ``start`` as given, once:
        True for the one transaction that marks it, False when an alert was
        given on or after ``start``. A concurrent run waits for the row, then
        fails to serialize instead of alerting twice."""
        self.ensure_one()
        self.flush_recordset(["nps_drop_alert_date"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s SET nps_drop_alert_date = %(today)s
                 WHERE id = %(id)s
                   AND (nps_drop_alert_date IS NULL
                        OR nps_drop_alert_date < %(start)s)
             RETURNING id
                """,
                table=SQL.identifier(self._table),
                today=today,
                id=self.id,
                start=start,
            )
        )
        claimed = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["nps_drop_alert_date"])
        return claimed

    def _nps_post_drop_alert(self, previous, current, comparison, days):
        """Note the drop in the record's chatter, worded in the recipient's
        language, and notify the recipient. ``previous`` and ``current`` are
        the Counts of the two periods, ``comparison`` their
        ``stats_tools.Comparison``."""
        self.ensure_one()
        recipient = self._nps_drop_alert_recipient()
        record = self.with_context(lang=recipient.lang or self.env.lang)
        env = record.env

        def number(value):
            return formatLang(env, value, digits=1)

        def figure(counts):
            margin = stats_tools.margin(counts)
            if margin is None:
                return env._(
                    "NPS %(nps)s (%(count)s answers)",
                    nps=number(stats_tools.nps(counts)),
                    count=counts.total,
                )
            return env._(
                "NPS %(nps)s ± %(margin)s (%(count)s answers)",
                nps=number(stats_tools.nps(counts)),
                margin=number(margin),
                count=counts.total,
            )

        subject = env._(
            "Satisfaction drop: %(name)s — NPS %(before)s → %(after)s",
            name=record.display_name,
            before=number(stats_tools.nps(previous)),
            after=number(stats_tools.nps(current)),
        )
        summary = env._(
            "The NPS fell by %(drop)s points, more than the noise: with these "
            "numbers of answers, a change under %(threshold)s points may be "
            "chance (95%%).",
            drop=number(-comparison.delta),
            threshold=number(comparison.threshold),
        )
        body = Markup("<p>%s</p><ul><li>%s</li><li>%s</li></ul>") % (
            summary,
            env._(
                "Last %(days)s days: %(figure)s",
                days=days,
                figure=figure(current),
            ),
            env._(
                "The %(days)s days before: %(figure)s",
                days=days,
                figure=figure(previous),
            ),
        )
        return record.message_post(
            body=body,
            subject=subject,
            subtype_xmlid="mail.mt_note",
            partner_ids=recipient.partner_id.ids,
        )
