import { registry } from "@web/core/registry";
import { closeDialogSteps } from "@nps_satisfaction/../tests/tours/utils/followup_close";

/**
 * An account manager with only the Internal User rights opens the follow-up
 * case from the link of the email that assigned it to him, logs his call to
 * the customer, and closes the case with its root cause and outcome.
 */
registry.category("web_tour.tours").add("nps_followup_account_manager", {
    steps: () => [
        {
            content: "The email's link opened the case",
            trigger: '.o_form_view .o_field_widget[name="name"]:contains("Sierra Logistics")',
        },
        {
            content: "The customer's comment is on the case",
            trigger: '.o_field_widget[name="comment"]:contains("Nobody called back")',
        },
        {
            content: "Log the call in the case's chatter",
            trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-logNote",
            run: "click",
        },
        {
            trigger: ".o-mail-Composer-input",
            run: "edit Called Sue: the trunk was misrouted, fixed it with her",
        },
        {
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The call is logged",
            trigger: '.o-mail-Message-body:contains("the trunk was misrouted")',
        },
        {
            content: "Close the case",
            trigger: 'button[name="action_close"]',
            run: "click",
        },
        ...closeDialogSteps("Rerouted the trunk"),
        {
            content: "The case is done",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
    ],
});
