import importlib.util
import pathlib

from odoo.tests import tagged

from .common import NpsCase

LABELS = {
    "en_US": "Counted after a manager's review",
    "fr_FR": "Comptée après examen par un responsable",
    "de_DE": "Nach Prüfung durch einen Manager gezählt",
}


@tagged("post_install", "-at_install")
class TestReviewedVerdict(NpsCase):
    """Regression (user trial): once a manager counted an unconfirmed score
    he reviewed (*Count this answer*), its attempt read "Confirmed by the
    customer". Its verdict says a manager counted it, and who, in English,
    French and German."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        langs = ["fr_FR", "de_DE"]
        for lang in langs:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], langs)

    def held_attempt(self, score=4, customer=None):
        request = self.sent_request(customer or self.customer_a)
        attempt = self.env["nps.answer.attempt"]._nps_hold(
            request, score, "Over its network's hourly ceiling"
        )
        return request, attempt

    def verdict_label(self, attempt, lang):
        env = attempt.with_context(lang=lang).env
        return dict(attempt._fields["verdict"]._description_selection(env))[
            attempt.verdict
        ]

    def test_counted_by_review_says_a_manager_counted_it_and_who(self):
        request, attempt = self.held_attempt()
        request.with_user(self.manager).action_count_answer()
        self.assertEqual((request.state, request.score), ("answered", 4))
        self.assertEqual(attempt.verdict, "reviewed", "not the customer's confirmation")
        self.assertEqual(attempt.reviewed_by_id, self.manager, "who counted it")
        for lang, label in LABELS.items():
            self.assertEqual(self.verdict_label(attempt, lang), label, lang)

    def test_customer_confirmation_reads_as_before(self):
        request, attempt = self.held_attempt()
        attempt._nps_mark_counted("customer")
        self.assertEqual(attempt.verdict, "confirmed")
        self.assertFalse(attempt.reviewed_by_id)

    def test_upgrade_gives_past_reviews_their_verdict(self):
        """The attempts counted by a review before this version read
        "Confirmed by the customer": the upgrade gives them their verdict
        (migrations/19.0.5.1.0/post-reviewed.py); who reviewed them was not
        kept."""
        reviewed, attempt = self.held_attempt()
        reviewed.with_user(self.manager).action_count_answer()
        confirmed, other = self.held_attempt(9, self.customer_b)
        other._nps_mark_counted("customer")
        confirmed.sudo().confirmed_by = "customer"
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE nps_answer_attempt SET verdict = 'confirmed', reviewed_by_id = NULL"
            " WHERE id = %s",
            [attempt.id],
        )
        path = (
            pathlib.Path(__file__).resolve().parents[1]
            / "migrations"
            / "19.0.5.1.0"
            / "post-reviewed.py"
        )
        spec = importlib.util.spec_from_file_location("nps_reviewed_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.5.0.0")
        self.env.invalidate_all()
        self.assertEqual(attempt.verdict, "reviewed")
        self.assertEqual(other.verdict, "confirmed", "the customer's stays his")
