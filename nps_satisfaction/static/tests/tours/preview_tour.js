import { registry } from "@web/core/registry";

/**
 * A satisfaction administrator opens a campaign, previews its email and
 * answer page as a French customer would get them, then chooses a German
 * customer in the dialog and sends himself the test that customer would get.
 */
registry.category("web_tour.tours").add("nps_campaign_preview", {
    steps: () => [
        {
            content: "Open the preview from the campaign",
            trigger: "button.o_nps_preview_button",
            run: "click",
        },
        {
            content: "The email speaks the customer's language",
            trigger: '.modal .o_field_widget[name="lang"]:contains("French")',
        },
        {
            content: "The subject is the customer's",
            trigger: '.modal .o_field_widget[name="subject"]:contains("avez-vous pensé")',
        },
        {
            content: "The email is shown",
            trigger: ".modal .o_nps_preview_email iframe",
        },
        {
            content: "Look at the answer page",
            trigger: '.modal a.nav-link:contains("Answer page")',
            run: "click",
        },
        {
            content: "The answer page is shown",
            trigger: ".modal .o_nps_preview_page iframe",
        },
        {
            content: "Choose a German customer",
            trigger: '.modal .o_field_widget[name="partner_id"] input',
            run: "edit Lukas",
        },
        {
            trigger: '.o-autocomplete--dropdown-item a:contains("Lukas Weber")',
            run: "click",
        },
        {
            content: "The preview speaks his language",
            trigger: '.modal .o_field_widget[name="lang"]:contains("German")',
        },
        {
            content: "The subject is his",
            trigger: '.modal .o_field_widget[name="subject"]:contains("Ihre Erfahrung mit")',
        },
        {
            content: "The field keeps the chosen customer",
            trigger:
                '.modal .o_field_widget[name="partner_id"] input:value("Bergwerk Maschinenbau GmbH, Lukas Weber")',
        },
        {
            content: "Send a test to me",
            trigger: ".modal button.o_nps_send_test",
            run: "click",
        },
        {
            content: "The test is on its way",
            trigger: '.o_notification:contains("test email is on its way")',
        },
        {
            content: "The dialog stays on the chosen customer",
            trigger:
                '.modal .o_field_widget[name="partner_id"] input:value("Bergwerk Maschinenbau GmbH, Lukas Weber")',
        },
        {
            trigger: '.modal .o_field_widget[name="lang"]:contains("German")',
        },
    ],
});
