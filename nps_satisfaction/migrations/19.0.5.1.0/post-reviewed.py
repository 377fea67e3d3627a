"""One-click scores a manager counted after reviewing them (*Count this
answer*) read "Confirmed by the customer" before this version: the attempt
that counted, the latest confirmed one of each request counted by a review,
gets the verdict that says so. Who reviewed it was not kept."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE nps_answer_attempt a
           SET verdict = 'reviewed'
          FROM nps_request r
         WHERE a.request_id = r.id
           AND r.confirmed_by = 'reviewed'
           AND a.id = (
                SELECT max(c.id)
                  FROM nps_answer_attempt c
                 WHERE c.request_id = r.id AND c.verdict = 'confirmed'
           )
        """
    )
