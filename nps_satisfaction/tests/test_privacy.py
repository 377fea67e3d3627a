import base64
import csv
import io
import json
import zipfile
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import NpsCase

COMMENT_A = "Alice here: the line drops every evening"
PHONE_A = "Call me on 0612345678"
COMMENT_A2 = "Arthur thinks it is fine"


@tagged("post_install", "-at_install")
class TestPrivacy(NpsCase):
    """A customer's satisfaction data exported, anonymised on request, and
    comments removed after the company's retention period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # several answers per company here, detractors' follow-ups open
        cls.campaign.write({"min_days_between": 0, "hold_if_open_ticket": False})
        cls.extra_question = cls.env["survey.question"].create(
            {
                "survey_id": cls.survey.id,
                "title": "How can we reach you?",
                "question_type": "char_box",
                "sequence": 100,
            }
        )

    def answered(self, partner, score, comment, extra=None):
        request = self.sent_request(partner)
        request._nps_record_answer(
            score=score,
            comment=comment,
            extra={self.extra_question: extra} if extra else None,
        )
        return request

    def nps_by_month(self, requests):
        self.env.flush_all()
        return sorted(
            self.env["nps.report"]._read_group(
                [("request_id", "in", requests.ids)],
                ["date:month"],
                ["nps_value:avg", "score:avg", "__count"],
            )
        )

    def move_back(self, request, days):
        moment = self.past(days)
        request.write({"sent_date": moment, "answer_date": moment})

    # --- Export ---

    def export(self, partner, user=None):
        action = partner.with_user(user or self.manager).action_nps_export_data()
        self.assertEqual(action["type"], "ir.actions.act_url")
        export = self.env["nps.privacy.export"].search([], order="id desc", limit=1)
        self.assertIn(f"id={export.id}", action["url"])
        self.assertTrue(export.filename.endswith(".zip"))
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(export.data)))
        self.assertEqual(
            sorted(archive.namelist()), ["satisfaction.json", "survey_requests.csv"]
        )
        document = json.loads(archive.read("satisfaction.json"))
        rows = list(
            csv.DictReader(io.StringIO(archive.read("survey_requests.csv").decode()))
        )
        return document, rows

    def test_export_of_a_contact_holds_her_answers(self):
        request = self.answered(self.customer_a, 3, COMMENT_A, PHONE_A)
        self.answered(self.customer_a2, 9, COMMENT_A2)
        document, rows = self.export(self.customer_a)
        [row] = document["survey_requests"]
        self.assertEqual(row["request"], request.id)
        self.assertEqual(row["customer"], self.customer_a.display_name)
        self.assertEqual(row["email"], "alice@acme.example.com")
        self.assertEqual(row["campaign"], self.campaign.name)
        self.assertEqual((row["score"], row["category"]), (3, "Detractor"))
        self.assertEqual(row["comment"], COMMENT_A)
        self.assertEqual(row["state"], "Answered")
        self.assertTrue(row["sent_date"] and row["answer_date"], row)
        self.assertEqual(row["ticket"], request.ticket_id.display_name)
        self.assertIn(
            {"question": "How can we reach you?", "answer": PHONE_A}, row["answers"]
        )
        self.assertEqual(row["follow_up"]["state"], "Open", "the detractor's follow-up")
        self.assertEqual(row["follow_up"]["by"], self.account_manager.name)
        self.assertEqual(
            [c["name"] for c in document["contacts"]], [self.customer_a.display_name]
        )
        self.assertEqual(document["contacts"][0]["last_score"], 3)
        [csv_row] = rows
        self.assertEqual(csv_row["comment"], COMMENT_A)
        self.assertEqual(csv_row["score"], "3")
        self.assertIn(PHONE_A, csv_row["answers"])
        self.assertNotIn(COMMENT_A2, json.dumps(document), "only her data")

    def test_export_of_a_company_holds_its_contacts_answers(self):
        first = self.answered(self.customer_a, 3, COMMENT_A)
        second = self.answered(self.customer_a2, 9, COMMENT_A2)
        self.answered(self.customer_b, 10, "Bob is happy")
        document, rows = self.export(self.company_a)
        self.assertEqual(
            sorted(r["request"] for r in document["survey_requests"]),
            sorted((first | second).ids),
        )
        self.assertEqual(
            {r["comment"] for r in rows}, {COMMENT_A, COMMENT_A2}, "one row each"
        )
        self.assertEqual(
            {c["name"] for c in document["contacts"]},
            {
                self.company_a.display_name,
                self.customer_a.display_name,
                self.customer_a2.display_name,
            },
        )

    # --- Anonymisation ---

    def anonymize(self, partner, user=None):
        action = partner.with_user(user or self.manager).action_nps_anonymize_data()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        summary = {
            "requests": wizard.request_count,
            "comments": wizard.comment_count,
            "attribution": wizard.attribution_id,
            "anonymous": wizard.anonymous,
        }
        wizard.with_user(user or self.manager).action_anonymize()
        return summary

    def test_anonymize_keeps_the_figures(self):
        requests = self.answered(self.customer_a, 3, COMMENT_A, PHONE_A)
        requests |= self.answered(self.customer_a2, 9, COMMENT_A2)
        requests |= self.answered(self.customer_a, 10, "Better now")
        requests |= self.answered(self.customer_b, 7, "Bob")
        requests |= self.sent_request(self.customer_a2)  # not answered
        for request, days in zip(requests, (70, 70, 35, 35, 5), strict=True):
            self.move_back(request, days)
        before = self.nps_by_month(requests)
        self.assertEqual(len(before), 3, before)
        self.anonymize(self.customer_a)
        self.anonymize(self.customer_a2)
        self.assertEqual(self.nps_by_month(requests), before, "NPS by month kept")
        self.assertEqual(
            requests[:4].mapped("score"), [3, 9, 10, 7], "scores stay on requests"
        )
        self.assertEqual(requests[4].state, "expired", "the open survey is closed")
        self.assertEqual(
            requests[:3].commercial_partner_id,
            self.company_a,
            "a contact's answers count for her company",
        )
        self.assertEqual(
            self.company_a.nps_answer_count, 3, "the company's figures stay whole"
        )
        self.assertEqual(self.customer_a.nps_answer_count, 0)
        self.assertFalse(self.customer_a.nps_category)

    def test_anonymize_leaves_no_personal_data(self):
        request = self.answered(self.customer_a, 3, COMMENT_A, PHONE_A)
        other = self.answered(self.customer_b, 2, "Bob is not happy either")
        answer = request.user_input_id
        old_tokens = (request.access_token, answer.access_token)
        self.assertTrue(
            request.nps_message_ids, "the answer's messages are known to the request"
        )
        self.assertTrue(self.activity_of(request), "a detractor's follow-up")
        summary = self.anonymize(self.customer_a)
        self.assertEqual((summary["requests"], summary["comments"]), (1, 1))
        self.assertEqual(summary["attribution"], self.company_a)
        self.env.flush_all()

        self.check_anonymized_answer(request, answer, old_tokens)
        self.check_no_text_left(request)
        # the trace: what was done, not what was said
        trace = self.customer_a.message_ids[0]
        self.assertIn("anonymised", trace.body)
        self.assertIn("1 comments", trace.body)
        self.assertNotIn("line drops", trace.body)
        # another customer's answer is untouched
        self.assertEqual(other.comment, "Bob is not happy either")
        self.assertEqual(other.partner_id, self.customer_b)
        self.assertEqual(other.user_input_id.partner_id, self.customer_b)

    def check_anonymized_answer(self, request, answer, old_tokens):
        """The anonymised request and survey answer: attributed to the
        company, no comment, no free text, new tokens, the old ones dead."""
        self.assertEqual(request.partner_id, self.company_a)
        self.assertFalse(request.comment)
        self.assertTrue(request.anonymized_date and request.texts_removed_date)
        self.assertFalse(answer.partner_id or answer.email or answer.nickname)
        self.assertFalse(
            answer.user_input_line_ids.filtered(
                lambda line: line.answer_type in ("char_box", "text_box")
            ),
            "free-text answers removed",
        )
        self.assertEqual(answer.nps_score, 3, "the score line stays")
        self.assertNotIn(request.access_token, old_tokens)
        self.assertNotIn(answer.access_token, old_tokens)
        Request = self.env["nps.request"]
        self.assertFalse(Request.search([("access_token", "=", old_tokens[0])]))
        self.assertFalse(
            self.env["survey.user_input"].search(
                [("access_token", "=", old_tokens[1])]
            ),
            "the old links lead nowhere",
        )

    def check_no_text_left(self, request):
        """Neither Alice's email, nor her words in a message, an activity or
        a survey answer line."""
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "nps.request"), ("res_id", "=", request.id)]
            ),
            "the survey email to her is deleted",
        )
        for text in (COMMENT_A, PHONE_A, "line drops", "Alice"):
            self.assertFalse(
                self.env["mail.message"].search(
                    [
                        ("body", "ilike", text),
                        ("id", "in", request.nps_message_ids.ids),
                    ]
                ),
                f"{text!r} left in a message about the answer",
            )
        for text in (COMMENT_A, PHONE_A):
            self.assertFalse(
                self.env["mail.message"].search([("body", "ilike", text)]),
                f"{text!r} left in a message",
            )
        activity = self.activity_of(request).with_context(active_test=False)
        self.assertNotIn("line drops", str(activity.note))
        self.assertNotIn("Alice", str(activity.note) + activity.summary)
        self.assertFalse(
            self.env["survey.user_input.line"].search(
                [("value_char_box", "=", PHONE_A)]
            )
        )

    def test_anonymize_forgets_an_unconfirmed_click(self):
        request = self.sent_request(self.customer_a)
        request.sent_date = self.past(1)
        self.env["nps.answer.attempt"]._nps_record(
            request, 4, "a-session-hash", "Mozilla/5.0 (Alice's laptop)", "192.0.2.7"
        )
        self.assertEqual(request.provisional_state, "pending")
        self.anonymize(self.customer_a)
        self.assertEqual(request.state, "expired")
        self.assertFalse(
            request.provisional_state
            or request.provisional_score
            or request.provisional_user_agent
            or request.sudo().attempt_ids,
            "neither the browser nor the score it clicked is kept",
        )

    def test_anonymize_a_follow_up_marked_done(self):
        """The message that records a follow-up done quotes the answer: its
        text goes too."""
        request = self.answered(self.customer_a, 2, COMMENT_A)
        self.close_case(request, "Called her back", user=self.account_manager)
        self.assertEqual(request.followup_ids.state, "done")
        done = request.nps_message_ids.filtered(
            lambda m: m.mail_activity_type_id
            == self.activity_of(request).activity_type_id
        )
        self.assertTrue(done, "the done message is known to the request")
        self.assertIn("line drops", done.body)
        self.anonymize(self.customer_a)
        self.assertNotIn("line drops", done.body)
        self.assertFalse(request.followup_ids.action_taken)

    def test_anonymize_a_private_customer_counts_for_no_one(self):
        person = self.make_customers(1, prefix="private")
        request = self.answered(person, 8, "I am a private person")
        summary = self.anonymize(person)
        anonymised = self.env.ref("nps_satisfaction.partner_nps_anonymised")
        self.assertTrue(summary["anonymous"])
        self.assertEqual(request.partner_id, anonymised)
        self.assertEqual(request.commercial_partner_id, anonymised)
        self.assertFalse(request.user_id, "no account manager either")
        self.assertEqual((request.score, request.state), (8, "answered"))
        self.assertFalse(person._nps_privacy_requests())

    def test_anonymize_a_company_covers_its_contacts(self):
        first = self.answered(self.customer_a, 3, COMMENT_A)
        second = self.answered(self.customer_a2, 9, COMMENT_A2)
        other = self.answered(self.customer_b, 10, "Bob is happy")
        self.anonymize(self.company_a)
        anonymised = self.env.ref("nps_satisfaction.partner_nps_anonymised")
        self.assertEqual((first | second).partner_id, anonymised)
        self.assertFalse((first | second).filtered("comment"))
        self.assertEqual(self.company_a.nps_answer_count, 0)
        self.assertEqual(other.comment, "Bob is happy")

    # --- Access ---

    def test_non_manager_is_refused(self):
        self.answered(self.customer_a, 3, COMMENT_A)
        for action in ("action_nps_export_data", "action_nps_anonymize_data"):
            with self.assertRaisesRegex(
                AccessError, "Only customer satisfaction administrators"
            ):
                getattr(self.customer_a.with_user(self.nps_user), action)()
        for model in ("nps.privacy.export", "nps.privacy.anonymize"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.nps_user).create(
                    {"partner_id": self.customer_a.id}
                )
        self.assertEqual(
            self.customer_a.nps_request_ids.comment, COMMENT_A, "nothing changed"
        )

    # --- Retention ---

    def run_retention(self, batch_size=2):
        with patch.object(
            type(self.env["ir.cron"]), "_commit_progress", return_value=100.0
        ) as progress:
            self.env["nps.privacy"]._cron_retention(batch_size=batch_size)
        return [call.args[0] for call in progress.call_args_list]

    def test_retention_is_off_by_default(self):
        request = self.answered(self.customer_a, 3, COMMENT_A)
        self.move_back(request, 3650)
        self.assertEqual(self.env.company.nps_comment_retention_months, 0)
        self.assertEqual(self.run_retention(), [])
        self.assertEqual(request.comment, COMMENT_A)

    def test_retention_removes_old_comments_only(self):
        self.env.company.nps_comment_retention_months = 6
        old = self.answered(self.customer_a, 3, COMMENT_A, PHONE_A)
        old |= self.answered(self.customer_a2, 9, COMMENT_A2)
        old |= self.answered(self.customer_b, 10, "Old and happy")
        recent = self.answered(self.customer_b, 7, "Recent comment")
        for request in old:
            self.move_back(request, 200)
        self.move_back(recent, 150)
        before = self.nps_by_month(old | recent)
        self.assertEqual(self.run_retention(), [2, 1], "batches of 2")
        self.assertFalse(old.filtered("comment"))
        self.assertFalse(
            old.user_input_id.user_input_line_ids.filtered(
                lambda line: line.answer_type in ("char_box", "text_box")
            )
        )
        self.assertNotIn("line drops", old[0].nps_message_ids[0].body)
        self.assertEqual(recent.comment, "Recent comment")
        self.assertEqual(
            old.partner_id,
            self.customer_a | self.customer_a2 | self.customer_b,
            "retention keeps who answered",
        )
        self.assertEqual(self.nps_by_month(old | recent), before)
        done_at = old.mapped("texts_removed_date")
        self.assertEqual(self.run_retention(), [], "idempotent: nothing left")
        self.assertEqual(old.mapped("texts_removed_date"), done_at)

    def test_retention_queries_do_not_grow(self):
        self.env.company.nps_comment_retention_months = 1

        def queries(count, prefix):
            requests = self.env["nps.request"]
            for partner in self.make_customers(count, prefix):
                requests |= self.answered(partner, 5, f"{prefix} comment")
            for request in requests:
                self.move_back(request, 60)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.run_retention(batch_size=100)
            self.env.flush_all()
            self.assertFalse(requests.filtered("comment"))
            return self.env.cr.sql_log_count - start

        small = queries(2, "few")
        large = queries(8, "many")
        self.assertLessEqual(
            large, small, f"8 requests took {large} queries, 2 took {small}"
        )


@tagged("post_install", "-at_install")
class TestPrivacyHttp(NpsCase, HttpCase):
    """The export downloads through the web client's URL; after an
    anonymisation the customer's old links lead nowhere."""

    def test_manager_downloads_the_export(self):
        request = self.sent_request(self.customer_a)
        request._nps_record_answer(score=6, comment=COMMENT_A)
        self.authenticate("nps_manager", "nps_manager")
        action = self.customer_a.with_user(self.manager).action_nps_export_data()
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        document = json.loads(archive.read("satisfaction.json"))
        self.assertEqual(document["survey_requests"][0]["comment"], COMMENT_A)

    def test_another_user_cannot_download_the_export(self):
        self.sent_request(self.customer_a)._nps_record_answer(
            score=6, comment=COMMENT_A
        )
        action = self.customer_a.with_user(self.manager).action_nps_export_data()
        self.authenticate("nps_user", "nps_user")
        response = self.url_open(action["url"])
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(COMMENT_A.encode(), response.content)

    def test_old_links_lead_nowhere_after_anonymisation(self):
        request = self.sent_request(self.customer_a)
        old_url = f"/nps/{request.access_token}"
        self.assertEqual(self.url_open(old_url).status_code, 200)
        # a survey with further questions sends the customer on to Odoo's
        # survey page, with the survey answer's own link
        answer = self.env["survey.user_input"]._nps_create_for(request)
        old_answer_token = answer.access_token
        survey_url = (
            f"/survey/start/{answer.survey_id.access_token}"
            f"?answer_token={old_answer_token}"
        )
        wizard = (
            self.env["nps.privacy.anonymize"]
            .with_user(self.manager)
            .create({"partner_id": self.customer_a.id})
        )
        wizard.action_anonymize()
        self.assertEqual(request.state, "expired", "an open survey is closed")
        self.assertEqual(self.url_open(old_url).status_code, 404)
        response = self.url_open(survey_url, allow_redirects=False)
        self.assertNotEqual(answer.access_token, old_answer_token)
        self.assertNotIn(
            old_answer_token,
            response.headers.get("Set-Cookie", ""),
            "Odoo's survey page no longer knows the old answer link",
        )
