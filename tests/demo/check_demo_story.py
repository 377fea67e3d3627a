"""The demo's story emails reach each customer in his own language.

The demo installed with French and German loaded (``--load-language``), its
story closes tickets and sends their survey emails while the addon is being
installed. Each survey email must read in the customer's language: the
subject, the body and the question. Each demo customer's satisfaction data
keep its salesperson as account manager, and its answers that account
manager. Its links lead to the demo's server (``--port``: the port the
demo was built for, as ./run-demo builds it), not to Odoo's default 8069.
The year of terminations has a past to read: each notice's
customer has a health history from before his notice's lead time, and
the notices the README counts (two saved, three gone, one open) are there.
Every answer is in Odoo's survey module too, with its score.
Exits non-zero when one does not."""

import argparse
import re
import sys

import psycopg2

EXPECTED = {
    "fr_FR": ("Votre demande", "Sur une échelle de 0 à 10"),
    "de_DE": ("Ihre Anfrage", "auf einer Skala von 0 bis 10"),
    "en_US": ("Your request", "On a scale of 0 to 10"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, help="the demo server's HTTP port")
    args = parser.parse_args()
    with psycopg2.connect(dbname=args.database) as connection:
        cursor = connection.cursor()
        cursor.execute(
            """
            SELECT p.name, p.lang, m.subject, mm.body_html
              FROM mail_mail mm
              JOIN mail_message m ON m.id = mm.mail_message_id
              JOIN nps_request r ON m.model = 'nps.request' AND m.res_id = r.id
              JOIN res_partner p ON p.id = r.partner_id
             ORDER BY m.id
            """
        )
        rows = cursor.fetchall()
        people = wrong_people(cursor)
        unsurveyed = answers_outside_the_survey(cursor)
    fail_on("account managers not as the story gives them", people)
    fail_on("answers not in Odoo's survey module", unsurveyed)
    check_story_emails(rows, args.port)
    check_churn_story(args.database)


def fail_on(what, found):
    """Exit non-zero listing ``found`` under ``what``, when there is any."""
    if found:
        print(f"[demo] {what}:")
        for item in found:
            print("  " + item)
        sys.exit(1)


def wrong_people(cursor):
    """Customers, answers and cases whose account manager is not the one
    the story gives them; the company still named as Odoo names it."""
    cursor.execute(
        """
            SELECT p.name
              FROM res_partner p
             WHERE p.is_company AND p.user_id IS NOT NULL
               AND p.nps_account_manager_id IS DISTINCT FROM p.user_id
            UNION ALL
            SELECT p.name || ': an answer of another account manager'
              FROM nps_request r
              JOIN res_partner p ON p.id = r.commercial_partner_id
             WHERE r.state = 'answered' AND p.nps_account_manager_id IS NOT NULL
               AND r.user_id IS DISTINCT FROM p.nps_account_manager_id
            UNION ALL
            SELECT 'the demo company is still called ' || c.name
              FROM res_company c
             WHERE c.id = 1 AND c.name = 'YourCompany'
            UNION ALL
            SELECT p.name || ': a follow-up case of the system''s user'
              FROM nps_followup f
              JOIN res_partner p ON p.id = f.partner_id
             WHERE f.user_id IS NULL OR f.user_id = 1
            """
    )
    return [name for (name,) in cursor.fetchall()]


def answers_outside_the_survey(cursor):
    """Answers (their effects applied, or recorded without them) whose
    survey answer is missing or does not hold their score."""
    cursor.execute(
        """
            SELECT p.name || ': request ' || r.id || ' answered ' || r.score
                   || ', its survey answer ' || COALESCE(u.nps_score::text, 'missing')
              FROM nps_request r
              JOIN res_partner p ON p.id = r.partner_id
              LEFT JOIN survey_user_input u ON u.id = r.user_input_id
             WHERE r.state = 'answered' AND r.nps_category IS NOT NULL
               AND NOT COALESCE(r.effects_pending, FALSE)
               AND u.nps_score IS DISTINCT FROM r.score
             ORDER BY r.id
            """
    )
    return [name for (name,) in cursor.fetchall()]


def check_story_emails(rows, port):
    """Each story email in its customer's language, its links to the demo's
    server."""
    seen, failures = set(), []
    for name, lang, subject, body in rows:
        if lang not in EXPECTED:
            continue
        seen.add(lang)
        subject_start, question = EXPECTED[lang]
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", body or ""))
        if not (subject or "").startswith(subject_start) or question not in text:
            failures.append(f"{name} ({lang}): {subject!r} / {text[:160]!r}")
        failures += wrong_links(name, body, port)
    for lang in EXPECTED:
        if lang not in seen:
            failures.append(f"no survey email of the demo's story in {lang}")
    fail_on("story emails not as the demo sends them (language, links)", failures)
    print(f"[demo] {len(rows)} story emails, each in its customer's language")


def wrong_links(name, body, port):
    """The links of an email that do not lead to the demo's server."""
    if not port:
        return []
    base = f"http://localhost:{port}/"
    links = re.findall(r'href="(https?://[^"]+)"', body or "")
    wrong = [link for link in links if not link.startswith(base)]
    if not links:
        return [f"{name}: no link in the survey email"]
    return [f"{name}: a link to {link}, not to {base}" for link in wrong[:1]]


def check_churn_story(database):
    """The demo's notices, and the health known of their customers 30 days
    before each (what the churn figures read)."""
    with psycopg2.connect(dbname=database) as connection:
        cursor = connection.cursor()
        cursor.execute(
            """
            SELECT t.state, count(*),
                   count(*) FILTER (WHERE EXISTS (
                       SELECT 1 FROM nps_health_history h
                        WHERE h.partner_id = t.partner_id
                          AND h.date < t.notice_date - 30))
              FROM nps_termination t GROUP BY t.state
            """
        )
        states = {state: (count, known) for state, count, known in cursor.fetchall()}
    counts = {state: count for state, (count, _known) in states.items()}
    if counts != {"withdrawn": 2, "done": 3, "notice": 1}:
        print(f"[demo] the year's notices are not the README's: {counts}")
        sys.exit(1)
    unknown = sum(count - known for count, known in states.values())
    if unknown:
        print(f"[demo] {unknown} notices without a health known 30 days before")
        sys.exit(1)
    print("[demo] 6 notices over the year, each customer's health known before it")


if __name__ == "__main__":
    main()
