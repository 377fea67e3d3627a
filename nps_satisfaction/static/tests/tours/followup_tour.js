import { registry } from "@web/core/registry";

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
        {
            trigger: '.modal .o_field_widget[name="root_cause_id"] input',
            run: "edit Response",
        },
        {
            trigger: '.o-autocomplete--dropdown-item a:contains("Response time")',
            run: "click",
        },
        {
            content: "The root cause is set",
            trigger: '.modal .o_field_widget[name="root_cause_id"] input:value("Response time")',
        },
        {
            trigger: '.modal .o_field_widget[name="outcome"] .o_select_menu_toggler',
            run: "click",
        },
        {
            trigger: '.o_select_menu_menu .o_select_menu_item:contains("Resolved")',
            run: "click",
        },
        {
            trigger: '.modal .o_field_widget[name="note"] textarea',
            run: "edit Rerouted the trunk",
        },
        {
            trigger: '.modal-footer button[name="action_close"]',
            run: "click",
        },
        {
            content: "The case is done",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
    ],
});
