import importlib.util
import pathlib

import polib

from odoo.tests import tagged

from .common import NpsCase

ADDON = pathlib.Path(__file__).resolve().parents[1]
REPO = ADDON.parent
SCALE_ENDS = ("Not at all likely", "Extremely likely")


@tagged("post_install", "-at_install")
class TestScaleLabels(NpsCase):
    """Regression: in French, the post-ticket email's scale ended on "Très
    probablement" and the onboarding's on "Très probable": the ends of the
    0-10 scale read the same in every campaign of every addon."""

    def test_one_wording_per_language(self):
        for lang in ("fr", "de"):
            wordings = {}
            for po_path in sorted(REPO.glob(f"*/i18n/{lang}.po")):
                for entry in polib.pofile(str(po_path)):
                    if entry.msgid in SCALE_ENDS:
                        wordings.setdefault(entry.msgid, {})[
                            po_path.parents[1].name
                        ] = entry.msgstr
            for label in SCALE_ENDS:
                self.assertGreater(len(wordings.get(label, {})), 1, label)
                self.assertEqual(
                    len(set(wordings[label].values())),
                    1,
                    f"{lang}: {label!r} worded differently: {wordings[label]}",
                )

    def test_french_survey_email(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        self.customer_a.lang = "fr_FR"
        body = self.sent_request().mail_id.body_html
        self.assertIn("Très probable", body)
        self.assertNotIn("probablement", body)
        self.assertIn("Pas du tout probable", body)


@tagged("post_install", "-at_install")
class TestDispatchCronName(NpsCase):
    """Regression: users looked for the cron the README calls the dispatch
    in *Scheduled Actions* by "dispatch" and found nothing (it was "send due
    surveys"); its name has the word, as the README quotes it."""

    def test_found_by_dispatch_and_named_as_in_the_readme(self):
        cron = self.env.ref("nps_satisfaction.ir_cron_nps_dispatch")
        found = self.env["ir.cron"].with_context(active_test=False)
        self.assertIn(cron, found.search([("name", "ilike", "dispatch")]))
        self.assertIn(cron, found.search([("name", "ilike", "send")]))
        for readme in (REPO / "README.md", ADDON / "readme" / "DESCRIPTION.md"):
            self.assertIn(f"*{cron.name}*", readme.read_text(), readme.name)

    def test_translated(self):
        langs = {"fr_FR": "Satisfaction : expédier les enquêtes dues (envoi)"}
        langs["de_DE"] = "Zufriedenheit: fällige Umfragen versenden (Versand)"
        for lang in langs:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["nps_satisfaction"], list(langs)
        )
        cron = self.env.ref("nps_satisfaction.ir_cron_nps_dispatch")
        for lang, name in langs.items():
            self.assertEqual(cron.with_context(lang=lang).name, name)


@tagged("post_install", "-at_install")
class TestRenameMigration(NpsCase):
    """The upgrade to 19.0.4.6.0 (migrations/19.0.4.6.0/post-names.py) on
    names an update keeps as they were: the shipped ones get the new name
    and, once the addon's terms load, its translations; a name the user
    changed stays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        path = ADDON / "migrations" / "19.0.4.6.0" / "post-names.py"
        spec = importlib.util.spec_from_file_location("nps_rename_migration", path)
        cls.migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.migration)
        cls.env["res.lang"]._activate_lang("fr_FR")

    def test_shipped_names_renamed_and_translated(self):
        cron = self.env.ref("nps_satisfaction.ir_cron_nps_dispatch")
        followup = self.env.ref("nps_satisfaction.mail_activity_type_nps_followup")
        escalation = self.env.ref("nps_satisfaction.mail_activity_type_nps_escalation")
        # as the previous version left them
        before = {
            cron.ir_actions_server_id: ("Satisfaction: send due surveys", "Envoi"),
            followup: ("Satisfaction follow-up", "Suivi de satisfaction"),
            escalation: ("Mine, renamed", "Le mien"),
        }
        for record, (english, french) in before.items():
            record.with_context(lang="en_US").name = english
            record.update_field_translations("name", {"fr_FR": french})
        self.env.flush_all()
        self.migration._rename_shipped_names(self.env)
        self.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], ["fr_FR"])
        self.assertEqual(
            cron.with_context(lang="en_US").name,
            "Satisfaction: dispatch due surveys (send)",
        )
        self.assertEqual(
            cron.with_context(lang="fr_FR").name,
            "Satisfaction : expédier les enquêtes dues (envoi)",
        )
        self.assertEqual(
            followup.with_context(lang="en_US").name, "Satisfaction follow-up action"
        )
        self.assertEqual(
            followup.with_context(lang="fr_FR").name, "Action de suivi de satisfaction"
        )
        self.assertEqual(escalation.with_context(lang="en_US").name, "Mine, renamed")
        self.assertEqual(escalation.with_context(lang="fr_FR").name, "Le mien")
