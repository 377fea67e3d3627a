"""Demo data that tells a year's story: generated, reproducibly, when the
addon is installed with demo data (see demo/nps_demo.xml). Not used
otherwise."""

import random
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import score_tools

#: name, city, country, language, services, account manager, profile
COMPANIES = [
    (
        "Alpenblick Hotels",
        "Innsbruck",
        "at",
        "de_DE",
        ["PBX", "FIBRE"],
        "demo",
        "happy",
    ),
    ("Atelier Moreau", "Nantes", "fr", "fr_FR", ["SIP"], "marc", "improving"),
    ("Brightwave Studios", "Leeds", "uk", "en_US", ["UCAAS"], "admin", "happy"),
    (
        "Cabinet Lefèvre Avocats",
        "Bordeaux",
        "fr",
        "fr_FR",
        ["PBX"],
        "marc",
        "declining",
    ),
    (
        "Deltaport Shipping",
        "Rotterdam",
        "nl",
        "en_US",
        ["SIP", "FIBRE"],
        "admin",
        "mixed",
    ),
    ("Elbtal Logistik", "Dresden", "de", "de_DE", ["SIP", "PBX"], "sofia", "at_risk"),
    ("Ferme Bio du Vercors", "Grenoble", "fr", "fr_FR", ["FIBRE"], "marc", "happy"),
    (
        "Glenmoor Clinics",
        "Edinburgh",
        "uk",
        "en_US",
        ["UCAAS", "FIBRE"],
        "admin",
        "improving",
    ),
    ("Hafenkontor Schmidt", "Bremen", "de", "de_DE", ["PBX"], "sofia", "happy"),
    ("Imprimerie Garnier", "Lille", "fr", "fr_FR", ["SIP"], "marc", "mixed"),
    ("Juraplan Architekten", "Basel", "ch", "de_DE", ["UCAAS"], "sofia", "declining"),
    (
        "Kestrel Accountants",
        "Bristol",
        "uk",
        "en_US",
        ["PBX", "UCAAS"],
        "demo",
        "happy",
    ),
    ("Lumière Opticiens", "Lyon", "fr", "fr_FR", ["PBX", "FIBRE"], "marc", "improving"),
    ("Moselwein Kellerei", "Trier", "de", "de_DE", ["FIBRE"], "sofia", "mixed"),
    ("Northgate Schools", "York", "uk", "en_US", ["UCAAS", "FIBRE"], "demo", "at_risk"),
    ("Oberland Bau", "Munich", "de", "de_DE", ["SIP"], "sofia", "happy"),
]

FIRST_NAMES = ["Alex", "Sam", "Claire", "Jonas", "Lea", "Tom"]
#: the names of the customers' other contacts (decision makers, technical)
OTHER_NAMES = ["Martin", "Nora", "Paul", "Ines", "Hugo", "Eva", "Karl", "Anna"]

SERVICE_XMLIDS = {
    "SIP": "nps_satisfaction.service_type_sip_trunk",
    "PBX": "nps_satisfaction.service_type_hosted_pbx",
    "UCAAS": "nps_satisfaction.service_type_ucaas",
    "FIBRE": "nps_satisfaction.service_type_fibre",
}

TICKETS = [
    "Calls drop after 30 seconds",
    "Add extensions for new staff",
    "Voicemail to email not delivered",
    "Slow internet at the branch office",
    "Hunt group rings the wrong phones",
    "Porting of our old numbers",
    "Teams calling: no audio on mobiles",
    "Invoice shows a line we cancelled",
]

#: the answers' comments, in the customer's language (the same number per
#: category in each, so that the story draws the same ones), each about a
#: comment theme or two
COMMENTS = {
    "en": {
        "promoter": [
            "Quick and friendly, thank you!",
            "Sorted within the hour, the technician was great.",
            "Very competent support.",
        ],
        "passive": [
            "Fine, but the waiting time was long.",
            "OK. We were not informed of the planned works.",
        ],
        "detractor": [
            "Three days of outage and nobody called back.",
            "We had to chase you twice, and the invoice is still wrong.",
            "The same problem again, we are thinking of switching provider.",
        ],
    },
    "fr": {
        "promoter": [
            "Rapide et aimable, merci !",
            "Réglé dans l'heure, le technicien était parfait.",
            "Un support très compétent.",
        ],
        "passive": [
            "Correct, mais l'attente a été longue.",
            "Bien. Nous n'avons pas été prévenus des travaux.",
        ],
        "detractor": [
            "Trois jours de panne et personne ne nous a rappelés.",
            "Nous avons dû relancer deux fois, et la facture est toujours fausse.",
            "Encore le même problème, nous pensons résilier notre contrat.",
        ],
    },
    "de": {
        "promoter": [
            "Schnell und freundlich, danke!",
            "In einer Stunde erledigt, der Techniker war super.",
            "Sehr kompetenter Support.",
        ],
        "passive": [
            "In Ordnung, aber die Wartezeit war lang.",
            "Okay. Über die Wartungsarbeiten wurden wir nicht informiert.",
        ],
        "detractor": [
            "Drei Tage Störung und kein Rückruf.",
            "Wir mussten zweimal nachfragen, und die Rechnung ist immer noch falsch.",
            "Wieder dasselbe Problem, wir überlegen zu kündigen.",
        ],
    },
}


def _comments(partner, category):
    """The comments a customer of ``partner``'s language may give."""
    lang = (partner.lang or "en").split("_")[0]
    return COMMENTS.get(lang, COMMENTS["en"])[category]


class NpsDemo(models.AbstractModel):
    _name = "nps.demo"
    _description = "Satisfaction demo data"

    @api.model
    def _score(self, rng, profile, months_ago):
        """A plausible score for a customer of this profile, some months ago."""
        if profile == "happy":
            return rng.choice([8, 9, 9, 10, 10, 10])
        if profile == "improving":
            return (
                rng.choice([2, 4, 5, 6]) if months_ago > 6 else rng.choice([8, 9, 10])
            )
        if profile == "declining":
            return rng.choice([9, 10]) if months_ago > 5 else rng.choice([5, 6, 7])
        if profile == "at_risk":
            return rng.choice([6, 7, 8]) if months_ago > 3 else rng.choice([1, 3, 4])
        return rng.choice([5, 6, 7, 8, 9, 10])

    @api.model
    def _csat(self, rng, score):
        """A plausible 1-5 satisfaction with the service beside a 0-10
        score, or None for the customers who skip the question (a few)."""
        if rng.random() < 0.15:
            return None
        category = score_tools.classify(score)
        if category == "promoter":
            return rng.choice([4, 5, 5])
        if category == "passive":
            return rng.choice([3, 4, 4])
        return rng.choice([1, 2, 2, 3])

    @api.model
    def _answer_in_survey(self, requests):
        """Record the history's answers in Odoo's survey module, as real
        answers are (a survey answer with its score and comment lines, done,
        dated as the answer), so that the survey's own results show them."""
        answers = self.env["survey.user_input"]._nps_create_for(requests)
        for request in requests:
            request._nps_copy_to_survey_answer()
        for request, answer in zip(requests, answers, strict=True):
            answer.write(
                {
                    "state": "done",
                    "start_datetime": request.sent_date,
                    "end_datetime": request.answer_date,
                }
            )
        return answers

    @api.model
    def _generate_account_contacts(self, profiles, seed=42):
        """More than one contact per customer, each with a role: the one who
        opens tickets is a user (or the technical contact), a decision maker
        and, at some customers, a technical contact answered the twice-yearly
        relationship survey (ten and four months ago), so that each account
        NPS counts several people and one detractor among them shows as one
        voice of the account. Returns the new contacts."""
        rng = random.Random(seed + 1)
        now = fields.Datetime.now()
        campaign = self.env.ref("nps_satisfaction.demo_campaign_relationship")
        contacts = self.env["res.partner"]
        for company, profile in profiles.items():
            new_contacts = self._generate_company_contacts(rng, company)
            contacts |= new_contacts
            for contact in new_contacts:
                for months_ago in (10, 4):
                    if rng.random() > 0.85:
                        continue
                    self._generate_relationship_answer(
                        rng, campaign, company, contact, profile, months_ago, now
                    )
        return contacts

    @api.model
    def _generate_company_contacts(self, rng, company):
        """The role of the customer's first contact, and his new contacts: a
        decision maker and, at some customers, a technical contact."""
        company.child_ids[:1].nps_contact_role = rng.choice(
            ["user", "user", "technical"]
        )
        word = company.name.split()[0]
        domain = word.lower()
        values = [
            {
                "name": f"{rng.choice(OTHER_NAMES)} {word}",
                "parent_id": company.id,
                "email": f"management@{domain}.example.com",
                "function": "Managing director",
                "lang": company.lang,
                "nps_contact_role": "decision_maker",
            }
        ]
        if rng.random() < 0.5:
            values.append(
                {
                    "name": f"{rng.choice(OTHER_NAMES)} {word}",
                    "parent_id": company.id,
                    "email": f"it@{domain}.example.com",
                    "function": "IT lead",
                    "lang": company.lang,
                    "nps_contact_role": "technical",
                }
            )
        return self.env["res.partner"].create(values)

    @api.model
    def _generate_relationship_answer(
        self, rng, campaign, company, contact, profile, months_ago, now
    ):
        """The contact's answer to the relationship survey some months ago;
        a detractor's case, closed after a meeting."""
        sent = now - timedelta(days=months_ago * 30 + rng.randint(0, 10))
        score = self._score(rng, profile, months_ago)
        category = score_tools.classify(score)
        request = self.env["nps.schedule"]._nps_record_history(
            [
                {
                    "campaign_id": campaign.id,
                    "partner_id": contact.id,
                    "scheduled_date": sent,
                    "sent_date": sent,
                    "answer_date": sent + timedelta(hours=rng.randint(2, 60)),
                    "score": score,
                    "nps_category": category,
                    "comment": rng.choice(_comments(contact, category)),
                    "channel": "email",
                }
            ]
        )
        if category == "detractor":
            self.env["nps.followup"].with_context(
                tracking_disable=True, mail_create_nolog=True
            ).create(
                {
                    "request_id": request.id,
                    "kind": "detractor",
                    "state": "done",
                    "user_id": company.user_id.id,
                    "date_deadline": (sent + timedelta(days=4)).date(),
                    "done_date": sent + timedelta(days=3),
                    "root_cause_id": rng.choice(campaign.reason_ids).id,
                    "outcome": "explained",
                    "action_taken": "Met the customer's management.",
                }
            )

    @api.model
    def _generate_history(self, seed=42):
        """A year of closed tickets, installations and answers for a telecom
        operator's customers, with follow-ups, recoveries and customers at
        risk, so that every report is meaningful on first login."""
        story = self._demo_story(seed)
        partners = self.env["res.partner"]
        profiles = {}
        for name, city, country, lang, services, manager, profile in COMPANIES:
            company, contact = self._generate_customer(
                story, name, city, country, lang, services, manager
            )
            partners |= company | contact
            profiles[company] = profile
            self._generate_tickets(story, company, contact, profile)
            if story["rng"].random() < 0.5:
                self._generate_installation(story, name, contact, profile)
        partners |= self._generate_account_contacts(profiles, seed=seed)
        Request = self.env["nps.request"]
        self._answer_in_survey(
            Request.search(
                [("partner_id", "in", partners.ids), ("state", "=", "answered")]
            )
        )
        partners._nps_refresh_stats()
        # the latest detractors are still being followed up
        recent = Request.search(
            [
                ("partner_id", "in", partners.ids),
                ("nps_category", "=", "detractor"),
                ("followup_ids", "=", False),
                ("campaign_id", "=", story["campaign"].id),
            ]
        )
        for request in recent:
            story["Followup"]._nps_open(request, "detractor")
        partners._nps_refresh_stats()
        # the history was recorded without the answers' effects: its
        # comments get their themes here, its customers their past health
        self.env["nps.theme"]._nps_retag_all()
        self._generate_health_history(partners.filtered("is_company"))
        return partners

    @api.model
    def _demo_story(self, seed):
        """What the history's steps share: its random generators (``rng``;
        ``csat_rng``, the CSAT answers' own, so that the rest of the story
        stays the same whether the campaign asks CSAT or not), ``now``, the
        account managers by key, the helpdesk teams and done stage, the
        campaigns and their reasons, the installed languages, and the models
        it creates records of, without tracking; ``ticket_rng``, how long each
        ticket was open, its own too."""
        env = self.env
        campaign = env.ref("nps_satisfaction.campaign_post_ticket")
        return {
            "rng": random.Random(seed),
            "csat_rng": random.Random(seed + 1),
            "ticket_rng": random.Random(seed + 2),
            "now": fields.Datetime.now(),
            "managers": {
                "admin": env.ref("base.user_admin"),
                "demo": env.ref("base.user_demo"),
                "marc": env.ref("nps_satisfaction.demo_user_marc"),
                "sofia": env.ref("nps_satisfaction.demo_user_sofia"),
            },
            "teams": env.ref("nps_satisfaction.demo_team_voice")
            | env.ref("nps_satisfaction.demo_team_network"),
            "done": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done"),
            "campaign": campaign,
            "followup_campaign": env.ref("nps_satisfaction.campaign_followup"),
            "installation": env.ref("nps_satisfaction.campaign_post_installation"),
            "reasons": campaign.reason_ids,
            "langs": {lang for (lang,) in env["res.lang"]._read_group([], ["code"])},
            "History": env["nps.schedule"],
            "Followup": env["nps.followup"].with_context(
                tracking_disable=True, mail_create_nolog=True
            ),
            "Ticket": env["helpdesk.ticket"].with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                nps_history=True,
            ),
        }

    @api.model
    def _generate_customer(self, story, name, city, country, lang, services, manager):
        """A customer company of the story and the contact who opens its
        tickets: ``(company, contact)``."""
        env = self.env
        partners = env["res.partner"]
        company = partners.create(
            {
                "name": name,
                "is_company": True,
                "city": city,
                "country_id": env.ref(f"base.{country}").id,
                "email": f"info@{name.split()[0].lower()}.example.com",
                "user_id": story["managers"][manager].id,
                "lang": lang if lang in story["langs"] else "en_US",
                "nps_service_type_ids": [
                    fields.Command.set(
                        [env.ref(SERVICE_XMLIDS[s]).id for s in services]
                    )
                ],
            }
        )
        contact = partners.create(
            {
                "name": f"{story['rng'].choice(FIRST_NAMES)} {name.split()[0]}",
                "parent_id": company.id,
                "email": f"contact@{name.split()[0].lower()}.example.com",
                "lang": company.lang,
            }
        )
        return company, contact

    @api.model
    def _generate_tickets(self, story, company, contact, profile):
        """The customer's year of closed tickets, one every month or three,
        each with its survey."""
        month = 12
        while month >= 1:
            self._generate_ticket(story, company, contact, profile, month)
            month -= story["rng"].choice([1, 2, 2, 3])

    @api.model
    def _generate_ticket(self, story, company, contact, profile, month):
        """A ticket closed some months ago and its survey, answered three
        times in four; a detractor's case, worked and followed by its
        follow-up survey (except in the last month)."""
        rng = story["rng"]
        campaign = story["campaign"]
        closed = story["now"] - timedelta(days=month * 30 + rng.randint(0, 20))
        ticket = story["Ticket"].create(
            {
                "name": rng.choice(TICKETS),
                "description": "Reported by phone.",
                "partner_id": contact.id,
                "team_id": rng.choice(story["teams"]).id,
                "user_id": rng.choice(list(story["managers"].values())).id,
                "stage_id": story["done"].id,
            }
        )
        self._demo_date_ticket(story, ticket, closed)
        answered = rng.random() < 0.75
        score = self._score(rng, profile, month)
        category = score_tools.classify(score)
        values = {
            "campaign_id": campaign.id,
            "partner_id": contact.id,
            "ticket_id": ticket.id,
            "scheduled_date": closed,
            "sent_date": closed + timedelta(hours=2),
            "channel": "email",
        }
        if answered:
            values.update(
                score=score,
                nps_category=category,
                answer_date=closed + timedelta(hours=rng.randint(3, 40)),
                comment=rng.choice(_comments(contact, category)),
            )
            if campaign.measure == "both":
                csat = self._csat(story["csat_rng"], score)
                if csat:
                    values["csat_score"] = csat
            if category != "promoter" and rng.random() < 0.6:
                values["reason_ids"] = [
                    fields.Command.set(rng.sample(story["reasons"].ids, 1))
                ]
        request = story["History"]._nps_record_history([values])
        if answered and category == "detractor" and month > 1:
            self._generate_recovery(
                story, company, contact, profile, month, request, closed
            )

    @api.model
    def _demo_date_ticket(self, story, ticket, closed):
        """The ticket's dates as the story tells them: opened a few hours to
        a few days before it was closed (``closed``), not at the install,
        so that its customer's recent tickets are those of his history."""
        opened = closed - timedelta(hours=story["ticket_rng"].randint(2, 120))
        ticket.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE helpdesk_ticket
                   SET create_date = %(opened)s, assigned_date = %(opened)s,
                       closed_date = %(closed)s, last_stage_update = %(closed)s,
                       write_date = %(closed)s
                 WHERE id = %(id)s
                """,
                opened=opened,
                closed=closed,
                id=ticket.id,
            )
        )
        ticket.invalidate_recordset(
            [
                "create_date",
                "assigned_date",
                "closed_date",
                "last_stage_update",
                "write_date",
            ]
        )

    @api.model
    def _generate_recovery(
        self, story, company, contact, profile, month, request, closed
    ):
        """The detractor's case of ``request``, closed two days after the
        ticket, and the follow-up survey answered two weeks later: the case
        is recovered unless the customer is still a detractor."""
        rng = story["rng"]
        case = story["Followup"].create(
            {
                "request_id": request.id,
                "kind": "detractor",
                "state": "done",
                "user_id": company.user_id.id,
                "date_deadline": (closed + timedelta(days=3)).date(),
                "done_date": closed + timedelta(days=2),
                "root_cause_id": rng.choice(story["reasons"]).id,
                "outcome": rng.choice(
                    ["resolved", "resolved", "compensated", "explained"]
                ),
                "action_taken": "Called the customer and fixed the cause.",
            }
        )
        next_score = self._score(rng, profile, month - 1)
        follow = story["History"]._nps_record_history(
            [
                {
                    "campaign_id": story["followup_campaign"].id,
                    "partner_id": contact.id,
                    "origin_request_id": request.id,
                    "scheduled_date": closed + timedelta(days=16),
                    "sent_date": closed + timedelta(days=16),
                    "answer_date": closed + timedelta(days=17),
                    "score": next_score,
                    "nps_category": score_tools.classify(next_score),
                    "channel": "email",
                }
            ]
        )
        case.write(
            {
                "survey_request_id": follow.id,
                "recovered": follow.nps_category != "detractor",
            }
        )

    @api.model
    def _generate_installation(self, story, name, contact, profile):
        """The customer's installation project and its survey, answered
        eight months ago."""
        now = story["now"]
        project = self.env["project.project"].create(
            {"name": f"Installation - {name}", "partner_id": contact.id}
        )
        score = self._score(story["rng"], profile, 8)
        story["History"]._nps_record_history(
            [
                {
                    "campaign_id": story["installation"].id,
                    "partner_id": contact.id,
                    "project_id": project.id,
                    "scheduled_date": now - timedelta(days=250),
                    "sent_date": now - timedelta(days=250),
                    "answer_date": now - timedelta(days=249),
                    "score": score,
                    "nps_category": score_tools.classify(score),
                    "channel": "email",
                }
            ]
        )
