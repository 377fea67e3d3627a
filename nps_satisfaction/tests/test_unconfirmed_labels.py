from odoo.tests import TransactionCase, tagged

#: (model, field): {language: label}
LABELS = {
    ("nps.request", "provisional_user_agent"): {
        "fr_FR": "Navigateur de la note non confirmée",
        "de_DE": "Browser der unbestätigten Bewertung",
    },
    ("nps.request", "provisional_measure"): {
        "fr_FR": "Échelle de la note non confirmée",
        "de_DE": "Skala der unbestätigten Bewertung",
    },
    ("nps.answer.attempt", "may_settle"): {
        "fr_FR": "Comptée si non confirmée",
        "de_DE": "Zählt auch unbestätigt",
    },
    ("res.company", "nps_suspect_seconds"): {
        "fr_FR": "Réponses suspectes pendant (secondes)",
        "de_DE": "Verdächtige Antworten innerhalb von (Sekunden)",
    },
}
#: (model, field, value): {language: label}
STATES = {
    ("nps.answer.attempt", "verdict", "settled"): {
        "fr_FR": "Comptée après le délai de validation",
        "de_DE": "Nach der Wartefrist gezählt",
    },
    ("nps.request", "provisional_state", "pending"): {
        "fr_FR": "Provisoire",
        "de_DE": "Vorläufig",
    },
}


@tagged("post_install", "-at_install")
class TestUnconfirmedLabels(TransactionCase):
    """Regression (user trial): the French labels of an unconfirmed answer
    read wrong: "Non confirmée, depuis" (since when?) for the browser that
    gave the score, "score" where every other label says "note",
    "Compté sans confirmation" (counted already?) for a score that may be
    counted without one, "Réponses suspectes dans les (secondes)". Each
    label of the unconfirmed answer says what it is, in French and German,
    in the same words as its neighbours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        langs = ["fr_FR", "de_DE"]
        for lang in langs:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(["nps_satisfaction"], langs)

    def test_field_labels(self):
        wrong = []
        for (model, field), labels in LABELS.items():
            for lang, label in labels.items():
                found = (
                    self.env[model]
                    .with_context(lang=lang)
                    .fields_get([field], ["string"])[field]["string"]
                )
                if found != label:
                    wrong.append(f"{model}.{field} in {lang}: {found!r}, not {label!r}")
        self.assertFalse(wrong, "\n".join(wrong))

    def test_state_labels(self):
        wrong = []
        for (model, field, value), labels in STATES.items():
            for lang, label in labels.items():
                env = self.env(context=dict(self.env.context, lang=lang))
                found = dict(env[model]._fields[field]._description_selection(env))
                if found[value] != label:
                    wrong.append(
                        f"{model}.{field}={value} in {lang}: {found[value]!r}, "
                        f"not {label!r}"
                    )
        self.assertFalse(wrong, "\n".join(wrong))

    def test_french_labels_say_note(self):
        """The score of an unconfirmed answer is a *note* in French, as in
        every other label of the answer."""
        Request = self.env["nps.request"].with_context(lang="fr_FR")
        fields = [name for name in Request._fields if name.startswith("provisional_")]
        labels = {
            name: values["string"]
            for name, values in Request.fields_get(fields, ["string"]).items()
        }
        self.assertFalse(
            {name: label for name, label in labels.items() if "score" in label},
            "a French label of the unconfirmed answer says score",
        )
