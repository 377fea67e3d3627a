"""One-click scores posted before this version were all counted after the
settle delay when unconfirmed: the attempts still waiting keep that
promise (a score posted from now on is counted so only when the page's
script posted it, or the signed-in customer)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "UPDATE nps_answer_attempt SET may_settle = TRUE WHERE verdict = 'pending'"
    )
