# Run by run_upgrade.sh inside `odoo-bin shell` (``env`` is given).
# Phase "before" (the previous version): write what the follow-ups, their
# activities and the figures are. Phase "after" (upgraded): read the same
# through the new model and compare; "<phase>.ok" is written on success only.
# ruff: noqa: F821
import json
import os
import pathlib
import re
from datetime import datetime

PHASE = os.environ["NPS_UPGRADE_PHASE"]
DIR = pathlib.Path(os.environ["NPS_UPGRADE_DIR"])


def text(value):
    return str(value) if value else None


def activity_data(activity):
    if not activity:
        return None
    return {
        "id": activity.id,
        "active": activity.active,
        "user": activity.user_id.id,
        "summary": activity.summary,
        "deadline": text(activity.date_deadline),
        "type": activity.activity_type_id.id,
    }


def followups_before():
    """The previous version's follow-ups, as fields of nps.request."""
    Request = env["nps.request"].with_context(active_test=False)
    requests = Request.search(
        [
            "|",
            "|",
            ("followup_state", "!=", False),
            ("alert_reason", "!=", False),
            ("activity_id", "!=", False),
        ]
    )
    rows = {}
    for request in requests:
        activity = request.activity_id.with_context(active_test=False)
        open_ = request.followup_state == "open" or (
            not request.followup_state and bool(activity) and activity.active
        )
        rows[str(request.id)] = {
            "open": open_,
            "user": (request.followup_user_id or activity.user_id).id or None,
            "deadline": text(request.followup_deadline or activity.date_deadline),
            "escalated": request.followup_escalated,
            "root_cause": request.followup_root_cause_id.id or None,
            "outcome": request.followup_outcome or None,
            "note": request.followup_note or None,
            "done_date": text(request.followup_done_date),
            "recovered": request.recovered,
            "keywords": request.alert_keywords or None,
            "activity": activity_data(activity),
        }
    return rows


def followups_after():
    cases = env["nps.followup"].with_context(active_test=False).search([])
    activities = (
        env["mail.activity"]
        .with_context(active_test=False)
        .search([("res_model", "=", "nps.followup")])
    )
    rows = {}
    for case in cases:
        activity = activities.filtered(lambda a, c=case: a.res_id == c.id)[:1]
        rows[str(case.request_id.id)] = {
            "open": case.state in ("open", "in_progress"),
            "user": case.user_id.id or None,
            "deadline": text(case.date_deadline),
            "escalated": case.escalated,
            "root_cause": case.root_cause_id.id or None,
            "outcome": case.outcome or None,
            "note": case.action_taken or None,
            "done_date": text(case.done_date),
            "recovered": case.recovered,
            "keywords": case.keywords or None,
            "activity": activity_data(activity),
        }
    return rows


def prepare_clicks():
    """Two one-click answers made with the previous version's code on sent
    surveys: one still waiting for its confirmation, one confirmed. Committed,
    so that the upgrade finds them."""
    sent = env["nps.request"].search([("state", "=", "sent")], order="id", limit=2)
    if len(sent) < 2:
        return
    waiting, confirmed = sent
    agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"
    for request in sent:
        request.sent_date = request.sent_date.replace(year=request.sent_date.year - 1)
        request._nps_record_provisional(6, f"hash-{request.id}", agent, "192.0.2.1")
    confirmed._nps_confirm_provisional()
    env.cr.commit()


STRANGER = "eve.stranger@elsewhere.example.net"


def prepare_join():
    """Someone joins a customer's onboarding through its company link with
    the previous version's code, which made him a contact of the customer.
    Committed, so that the upgrade finds him."""
    customer = env["res.partner"].search(
        [("nps_onboarding_token", "!=", False)], order="id", limit=1
    )
    public = env.ref("base.public_user")
    customer.with_user(public).sudo()._nps_join_onboarding("Eve Stranger", STRANGER)
    env.cr.commit()


def onboarding():
    """Every onboarding enrolment: who, which course, for which customer,
    how far, by which link."""
    members = env["slide.channel.partner"].search(
        [("nps_onboarding", "=", True), ("nps_source", "!=", False)]
    )
    return {
        str(m.id): [
            m.partner_id.id,
            m.channel_id.id,
            m.nps_commercial_partner_id.id,
            m.completion,
            m.member_status,
            m.nps_access_token,
        ]
        for m in members
    }


def onboarding_checks(problems):
    """The stranger of ``prepare_join`` is a learner of the customer, not its
    contact; every link has its end and every enrolment its company."""
    eve = env["res.partner"].search([("email", "=", STRANGER)])
    if len(eve) != 1 or eve.parent_id or not eve.nps_learner_customer_id:
        problems.append("the link's joiner is still a contact of the customer")
    members = env["slide.channel.partner"].search([("nps_onboarding", "=", True)])
    if members.filtered(lambda m: not m.nps_company_id):
        problems.append("onboarding enrolments without their company")
    if members.filtered(
        lambda m: m.nps_access_token and m._nps_link_state() != "valid"
    ):
        problems.append("personal links that stopped working at the upgrade")
    customers = env["res.partner"].search([("nps_onboarding_token", "!=", False)])
    if customers.filtered(lambda c: not c.nps_onboarding_join_active):
        problems.append("company links switched off by the upgrade")
    template = env.ref("nps_elearning.mail_template_onboarding_invitation")
    if "/unsubscribe" not in template.body_html:
        problems.append("the invitation email was not updated")


SALES_LOGIN = "upgrade_sales"


def prepare_salesman():
    """A salesperson with the Internal User rights only becomes the
    salesperson, and so the account manager, of a customer with answers, with
    the previous version's code. Committed, so that the upgrade finds him."""
    customer = env["res.partner"].search(
        [("is_company", "=", True), ("nps_answer_count", ">", 0)], order="id", limit=1
    )
    user = env["res.users"].create(
        {
            "name": "Upgrade Sales",
            "login": SALES_LOGIN,
            "group_ids": [(6, 0, env.ref("base.group_user").ids)],
        }
    )
    customer.user_id = user
    env.cr.commit()


def account_managers(fname):
    """Each customer's account manager: its salesperson before 19.0.4.5.0,
    the account manager of its satisfaction data after."""
    partners = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([(fname, "!=", False)])
    )
    return {str(p.id): p[fname].id for p in partners}


def survey_managers():
    """The account manager of each survey and of each onboarding enrolment."""
    requests = env["nps.request"].search([("user_id", "!=", False)])
    members = (
        env["slide.channel.partner"]
        .with_context(active_test=False)
        .search([("nps_account_manager_id", "!=", False)])
    )
    return {
        "requests": {str(r.id): r.user_id.id for r in requests},
        "enrolments": {str(m.id): m.nps_account_manager_id.id for m in members},
    }


def salesman_problems():
    """The salesperson of ``prepare_salesman`` still reads, as the account
    manager, his customer's answers, analysis rows, follow-up cases and
    figures (19.0.4.5.0)."""
    problems = []
    env.flush_all()
    user = env["res.users"].search([("login", "=", SALES_LOGIN)])
    customer = env["res.partner"].search(
        [("is_company", "=", True), ("nps_account_manager_id", "=", user.id)]
    )
    if len(customer) != 1:
        return [f"the salesperson manages {len(customer)} customer(s), not 1"]
    domains = {
        "nps.request": [("user_id", "=", user.id)],
        "nps.report": [("user_id", "=", user.id)],
        "nps.followup": [("commercial_partner_id", "=", customer.id)],
    }
    for model, domain in domains.items():
        records = env[model].search(domain)
        visible = env[model].with_user(user).search([("id", "in", records.ids)])
        if model != "nps.followup" and not records:
            problems.append(f"{model}: nothing of his customer's")
        if set(visible.ids) != set(records.ids):
            problems.append(
                f"{model}: he reads {len(visible)} of his customer's {len(records)}"
            )
    shown = customer.with_user(user).read(["nps_health_shown", "nps_last_score_shown"])
    if (shown[0]["nps_health_shown"], shown[0]["nps_last_score_shown"]) != (
        customer.nps_health,
        customer.nps_last_score,
    ):
        problems.append(f"his customer's figures on its form: {shown[0]}")
    return problems


def prepare_french():
    """French installed with the previous version's translations (the
    question "... à un ami ou à un collègue"), committed: the upgrade must
    give it the new wording in French too."""
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
    env.cr.commit()


NEW_QUESTION = {
    "en_US": "On a scale of 0 to 10, how likely are you to recommend us to a "
    "colleague or partner?",
    "fr_FR": "Sur une échelle de 0 à 10, quelle est la probabilité que vous nous "
    "recommandiez à un collègue ou partenaire ?",
}


def wording_problems():
    """The shipped (noupdate) question and email subject in the new words
    (19.0.4.0.0), in English and in French."""
    problems = []
    question = env.ref("nps_satisfaction.survey_post_ticket_q_score")
    for lang, expected in NEW_QUESTION.items():
        title = question.with_context(lang=lang).title
        if title != expected:
            problems.append(f"question in {lang}: {title!r}")
    template = env.ref("nps_satisfaction.mail_template_nps_request")
    if "campaign_id.name" in template.subject:
        problems.append(f"survey email subject: {template.subject!r}")
    request = env["nps.request"].search([("ticket_id", "!=", False)], limit=1)
    subject = template._render_field("subject", request.ids)[request.id]
    if not subject.startswith(f"Your request {request.ticket_id.number}"):
        problems.append(f"survey email subject rendered: {subject!r}")
    return problems


def clicks():
    """The one-click answers, as the request shows them (stored on it
    before, computed from its attempts after)."""
    requests = env["nps.request"].search(
        ["|", ("provisional_state", "!=", False), ("confirmed_by", "!=", False)]
    )
    return {
        str(r.id): [
            r.provisional_state or None,
            r.provisional_score,
            text(r.provisional_date),
            r.provisional_user_agent or None,
            r.confirmed_by or None,
        ]
        for r in requests
    }


def figures():
    report = env["nps.report"]
    env.flush_all()
    [totals] = report._read_group(
        [],
        [],
        [
            "nps_value:avg",
            "answered:avg",
            "followup_closed:avg",
            "recovery:avg",
            "recovered_count:sum",
            "answer_count:sum",
            "__count",
        ],
    )
    monthly = report._read_group(
        [], ["date:month"], ["nps_value:avg", "followup_closed:avg", "recovery:avg"]
    )
    dashboard = env["nps.dashboard"].create({"period": "365"})
    return {
        "totals": [round(v, 6) if isinstance(v, float) else v for v in totals],
        "monthly": {
            text(month): [round(v or 0, 6) for v in values]
            for month, *values in monthly
        },
        "dashboard": {
            "followups": dashboard.followup_count,
            "overdue": dashboard.overdue_count,
            "at_risk": dashboard.at_risk_count,
            "nps": round(dashboard.nps, 6),
        },
    }


def health():
    partners = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("nps_answer_count", ">", 0)])
    )
    return {
        str(p.id): [p.nps_health, p.nps_health_reason, p.nps_last_score, p.csat_avg]
        for p in partners
    }


def csat_thresholds():
    companies = env["res.company"].search([])
    return {str(c.id): c.nps_health_csat_min for c in companies}


def without_csat(health_rows, problems, name, after=None):
    """The customers' health without their CSAT, which changes meaning in
    19.0.4.1.0 (a 0-10 average before, a share of 1-5 answers after): a
    customer at risk only for a low 0-10 average is no longer at risk for
    that reason, and no one has a CSAT until he answers the CSAT question."""
    rows = {}
    for key, (state, reason, last_score, _csat) in health_rows.items():
        if reason == "low_csat":
            new = (after or {}).get(key)
            if after is not None and new and new[1] == "low_csat":
                problems.append(f"{name}[{key}]: still at risk for a 0-10 CSAT")
            continue
        rows[key] = [state, reason, last_score]
    if after is not None:
        return rows, {k: v[:3] for k, v in after.items() if k in rows}
    return rows


def reason_deciding(rows):
    """The health rows of the previous code with the reason this version
    gives (19.0.4.6.0): the reason is the cause that decided the state, so a
    detractor account (a single respondent's score of 6 or less) with a case
    open is at risk for being a detractor, no longer for the open case."""
    return {
        key: (
            [state, "detractor", last_score]
            if state == "at_risk"
            and reason == "open_followup"
            and last_score is not None
            and last_score <= 6
            else [state, reason, last_score]
        )
        for key, (state, reason, last_score) in rows.items()
    }


def csat_problems(before):
    """19.0.4.1.0: the post-ticket survey asks the 1-5 CSAT question beside
    the 0-10 score; the old answers keep their score and get no CSAT; the
    emails show the question of the email; the thresholds are shares."""
    problems = []
    question = env.ref(
        "nps_satisfaction.survey_post_ticket_q_csat", raise_if_not_found=False
    )
    post_ticket = env.ref("nps_satisfaction.campaign_post_ticket")
    if not question or question.nps_role != "csat":
        problems.append("the post-ticket survey has no CSAT question")
    if post_ticket.measure != "both" or post_ticket.csat_question_id != question:
        problems.append(f"post-ticket campaign asks {post_ticket.measure!r}")
    followup = env.ref("nps_satisfaction.campaign_followup")
    if followup.measure != "nps":
        problems.append(f"follow-up campaign asks {followup.measure!r}")
    if env["nps.request"].search_count([("csat_score", "!=", False)]):
        problems.append("CSAT answers invented for the previous answers")
    [(csat,)] = env["nps.report"]._read_group([], [], ["csat:avg"])
    if csat is not None and csat is not False:
        problems.append(f"a CSAT figure without CSAT answers: {csat}")
    if env["res.partner"].search_count([("csat_avg", "!=", 0)]):
        problems.append("customers keep a 0-10 CSAT average")
    for xmlid in ("mail_template_nps_request", "mail_template_nps_reminder"):
        template = env.ref(f"nps_satisfaction.{xmlid}")
        for lang in ("en_US", "fr_FR"):
            body = str(template.with_context(lang=lang).body_html)
            if "score_question_id" in body or "lead_question_id" not in body:
                problems.append(f"{xmlid} ({lang}) does not show the email's question")
    after = csat_thresholds()
    for key, value in before.items():
        if round(after.get(key, -1), 6) != round(min(value * 10, 100), 6):
            problems.append(
                f"CSAT threshold of company {key}: {value} -> {after.get(key)}"
            )
    return problems


def theme_problems():
    """19.0.5.0.0: every comment recorded before the upgrade got its
    language and its themes."""
    problems = []
    commented = env["nps.request"].search(
        [("state", "=", "answered"), ("comment", "!=", False)]
    )
    if not commented:
        problems.append("the previous version's demo has no comment to tag")
    if commented.filtered(lambda r: not r.comment_lang):
        problems.append("comments of the previous version left without a language")
    tagged = commented.filtered("theme_ids")
    for request in commented:
        found = env["nps.theme"]._nps_find(
            request.comment, request.comment_lang, env["nps.theme"]._nps_matchers()
        )
        if found != request.theme_found_ids:
            problems.append(f"request {request.id}: themes {request.theme_ids.ids}")
    print(f"[upgrade] themes: {len(tagged)} of {len(commented)} comments tagged")
    if not tagged:
        problems.append("no comment of the previous version got a theme")
    return problems


def figures_by_day_problems():
    """The figures by day the migration filled give what the surveys do."""
    report = env["nps.report"]
    specs = (["team_id", "date:month"], ["nps_value:avg", "answered:avg", "__count"])
    summed = report._read_group([], *specs)
    read = report.with_context(nps_report_no_summary=True)._read_group([], *specs)
    if not summed or [
        [round(v, 6) if isinstance(v, float) else v for v in row] for row in summed
    ] != [[round(v, 6) if isinstance(v, float) else v for v in row] for row in read]:
        return [f"figures by day {summed[:3]} where the surveys give {read[:3]}"]
    return []


def themes_by_day_problems():
    """The comment themes by day the migration filled give the themes'
    figures the answers do."""
    report = env["nps.theme.report"]
    period = (datetime(2000, 1, 1).date(), datetime(2100, 1, 1).date())
    summed = report._nps_theme_figures(*period)
    read = report.with_context(nps_report_no_summary=True)._nps_theme_figures(*period)
    rounded = [
        {theme.id: tuple(round(v or 0, 6) for v in row) for theme, row in f.items()}
        for f in (summed, read)
    ]
    if not summed or rounded[0] != rounded[1]:
        return [f"themes by day {rounded[0]} where the answers give {rounded[1]}"]
    return []


def health_history_problems():
    """19.0.6.0.0: the health history starts at the upgrade: every customer
    (a company or an individual customer) with a health has a row, and his
    last one says his health and its reason now."""
    problems = []
    env.flush_all()
    customers = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("nps_health", "!=", False)])
        .filtered(lambda p: p.commercial_partner_id == p)
    )
    if not customers:
        problems.append("the previous version's demo has no customer with a health")
    known = env["nps.health.history"]._nps_health_at(customers, datetime.utcnow())
    for customer in customers:
        row = known.get(customer.id)
        if not row:
            problems.append(f"customer {customer.id}: no health history")
        elif row[:2] != (customer.nps_health, customer.nps_health_reason):
            problems.append(
                f"customer {customer.id}: history says {row[:2]}, health "
                f"{(customer.nps_health, customer.nps_health_reason)}"
            )
    print(f"[upgrade] health history started for {len(known)} customer(s)")
    return problems


def compare(name, before, after, problems):
    if before == after:
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key), after.get(key)
            if old != new:
                problems.append(f"{name}[{key}]: before {old!r}, after {new!r}")
    else:
        problems.append(f"{name}: before {before!r}, after {after!r}")


def health_recomputed():
    """The health each customer gets when this version's code recomputes
    it from the answers and follow-ups (the stored one may be older)."""
    partners = env["res.partner"].search([("nps_answer_count", ">", 0)])
    partners._nps_refresh_stats()
    return health()


def answer_facts():
    """What each customer's answers are, whatever rule reads them: the last
    score and the number of answers (the CSAT changed meaning in 19.0.4.1.0:
    ``csat_problems`` checks it)."""
    partners = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("nps_answer_count", ">", 0)])
    )
    return {str(p.id): [p.nps_last_score, p.nps_answer_count] for p in partners}


def one_respondent(rows):
    """The rows of the customers whose account counts one contact: for them
    the account view (19.0.4.2.0) is the last answer, as before."""
    single = {
        str(p.id)
        for p in env["res.partner"]
        .with_context(active_test=False)
        .search([("nps_account_respondents", "=", 1)])
    }
    return {key: value for key, value in rows.items() if key in single}


if PHASE == "before":
    prepare_clicks()
    prepare_join()
    prepare_french()
    prepare_salesman()
    snapshot = {
        "onboarding": onboarding(),
        "clicks": clicks(),
        "followups": followups_before(),
        "figures": figures(),
        "health": health(),
        "csat_min": csat_thresholds(),
        "account_managers": account_managers("user_id"),
        "survey_managers": survey_managers(),
    }
    snapshot["health_recomputed"] = health_recomputed()
    snapshot["facts_recomputed"] = answer_facts()
    (DIR / "before.json").write_text(json.dumps(snapshot, indent=1, sort_keys=True))
    followups = snapshot["followups"]
    print(
        f"[upgrade] before: {len(followups)} follow-ups "
        f"({sum(f['open'] for f in followups.values())} open), "
        f"{sum(bool(f['activity']) for f in followups.values())} activities, "
        f"NPS {snapshot['figures']['dashboard']['nps']}"
    )
    env.cr.rollback()
    (DIR / "before.ok").write_text("ok")
else:
    before = json.loads((DIR / "before.json").read_text())
    after = {
        "onboarding": onboarding(),
        "clicks": clicks(),
        "followups": followups_after(),
        "figures": figures(),
        "health": health(),
        "account_managers": account_managers("nps_account_manager_id"),
        "survey_managers": survey_managers(),
    }
    after = json.loads(json.dumps(after, sort_keys=True))
    problems = []
    if not before["clicks"]:
        problems.append("no one-click answer to migrate")
    attempts = env["nps.answer.attempt"].search([])
    if set(map(str, attempts.request_id.ids)) != set(before["clicks"]):
        problems.append("the one-click answers did not all become attempts")
    for key in ("onboarding", "clicks", "followups", "figures", "survey_managers"):
        compare(key, before[key], after[key], problems)
    # 19.0.4.5.0: every customer's salesperson became the account manager of
    # its satisfaction data, who keeps reading what he read
    compare(
        "account managers",
        before["account_managers"],
        {
            k: v
            for k, v in after["account_managers"].items()
            if k in before["account_managers"]
        },
        problems,
    )
    problems += salesman_problems()
    # before anything here recomputes the figures (19.0.6.0.0)
    problems += health_history_problems()
    if len(before["onboarding"]) < 10:
        problems.append("the previous version's demo enrolled too few learners")
    onboarding_checks(problems)
    # every answer given before the upgrade had its effects (19.0.3.0.0):
    # none is pending, none would post on its ticket again
    answered = env["nps.request"].search([("state", "=", "answered")])
    if answered.filtered(lambda r: r.effects_pending or not r.effects_date):
        problems.append("answers of the previous version left without their effects")
    # the migration (19.0.4.2.0) stored each customer's figures and health
    # as this version's code computes them (the account view), from every
    # answer the previous version held
    recomputed = json.loads(json.dumps(health_recomputed()))
    compare("health stored", after["health"], recomputed, problems)
    compare("answers", before["facts_recomputed"], answer_facts(), problems)
    # where the account is one contact, the health the new code computes
    # from the migrated cases is the one the previous code computed from
    # its follow-ups (but for the CSAT, whose meaning changed: 19.0.4.1.0)
    previous, current = without_csat(
        one_respondent(before["health_recomputed"]),
        problems,
        "health recomputed",
        one_respondent(recomputed),
    )
    compare("health recomputed", reason_deciding(previous), current, problems)
    problems += csat_problems(before["csat_min"])
    problems += theme_problems()
    problems += figures_by_day_problems()
    problems += themes_by_day_problems()
    # every cron of the suite calls a method its model has
    crons = (
        env["ir.cron"]
        .with_context(active_test=False)
        .search([("ir_actions_server_id.model_id.model", "like", "nps.")])
    )
    for cron in crons:
        match = re.match(r"model\.(\w+)\(", cron.code or "")
        if not match or not hasattr(env[cron.model_id.model], match.group(1)):
            problems.append(
                f"cron {cron.name!r} calls {cron.code!r} on {cron.model_id.model}"
            )
    problems += wording_problems()
    env.cr.rollback()
    followups = after["followups"]
    print(
        f"[upgrade] after: {len(followups)} follow-up cases "
        f"({sum(f['open'] for f in followups.values())} open), "
        f"{sum(bool(f['activity']) for f in followups.values())} activities on them, "
        f"NPS {after['figures']['dashboard']['nps']}"
    )
    if not before["followups"]:
        problems.append("the previous version's demo made no follow-up to migrate")
    if problems:
        print("[upgrade] lost or changed in the upgrade:")
        for problem in problems[:50]:
            print(f"[upgrade]   {problem}")
    else:
        print(
            "[upgrade] every follow-up, activity, one-click answer, figure and "
            "onboarding enrolment is still there; the link's joiner is a learner"
        )
        (DIR / "after.ok").write_text("ok")
