"""The lock of a survey request's row while an answer is recorded: taken
by the answer service, or by a public page's post as it finds the request
by its token; taken once per transaction."""

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL


class NpsRequest(models.Model):
    _inherit = "nps.request"  # pylint: disable=consider-merging-classes-inherited

    def _nps_lock(self):
        """Lock this request's row for the rest of the transaction. What this
        transaction read of it stays current: Odoo's transactions are
        REPEATABLE READ, where a row another one changed since this one began
        cannot be locked (the request is then retried). A row this
        transaction locked already is not locked again (see
        ``_nps_locked_ids``)."""
        self.ensure_one()
        locked = self._nps_locked_ids()
        if self.id in locked:
            return
        self.env.cr.execute(
            SQL("SELECT id FROM nps_request WHERE id = %s FOR UPDATE", self.id)
        )
        locked.add(self.id)

    @api.model
    def _nps_lock_token(self, token):
        """The request of ``token``, its row locked as it is found (as
        ``_nps_lock`` locks it) and read: the lookup, the lock and the read
        of a public page's post in one query, the row's fields in the cache
        as reading one of them would put them. An empty recordset for an
        unknown token."""
        self.flush_model(["access_token"])
        locked_row = Domain.custom(
            to_sql=lambda model, alias, query: SQL(
                "%s IN (SELECT id FROM nps_request WHERE access_token = %s"
                " LIMIT 1 FOR UPDATE)",
                SQL.identifier(alias, "id"),
                token,
            )
        )
        request = self.search_fetch(locked_row, None, limit=1)
        self._nps_locked_ids().update(request.ids)
        return request

    def _nps_locked_ids(self):
        """The ids of the requests whose row this transaction locked. Kept
        in the cursor's cache, which a commit, a rollback and the rollback of
        a savepoint clear, as they end the locks; but not the rollback of a
        savepoint taken with ``flush=False`` (raw SQL's, which leaves the
        ORM's caches to its caller): no lock is taken inside one."""
        return self.env.cr.cache.setdefault("nps_request_locked_ids", set())
