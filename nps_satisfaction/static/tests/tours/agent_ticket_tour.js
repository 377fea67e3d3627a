import { registry } from "@web/core/registry";

/**
 * The steps that close the open ticket on screen: the closed stage sits in
 * the statusbar's "More" menu (it is folded), a click on it saves the ticket.
 */
function closeTheTicket() {
    return [
        {
            content: "Open the statusbar's other stages",
            trigger: '.o_statusbar_status button.dropdown-toggle[aria-label="More..."]:visible',
            run: "click",
        },
        {
            content: "Close the ticket",
            trigger: '.o-dropdown--menu .dropdown-item:contains("Done")',
            run: "click",
        },
        {
            content: "The ticket is closed",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
        {
            content: "The ticket is saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ];
}

function noErrorDialog() {
    return {
        content: "No error dialog anywhere",
        trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_dialog .modal-title:contains(Error)))",
    };
}

/**
 * A helpdesk agent (only his own tickets, no satisfaction rights) closes a
 * ticket of a customer: the ticket's Satisfaction tab then says its survey
 * is scheduled.
 */
registry.category("web_tour.tours").add("nps_agent_ticket_surveyed", {
    steps: () => [
        {
            content: "The agent's ticket is open",
            trigger: '.o_form_view .o_field_widget[name="name"] input:value("No dial tone on line 2")',
        },
        {
            content: "No survey yet: no Satisfaction tab",
            trigger: '.o_form_view .o_notebook_headers:not(:has(a[name="nps"]))',
        },
        {
            content: "The survey will be sent (the toggle is on)",
            trigger: '.o_field_widget[name="nps_send_survey"] input:checked',
        },
        ...closeTheTicket(),
        {
            content: "The ticket has its survey now: open the Satisfaction tab",
            trigger: '.o_notebook_headers a[name="nps"]',
            run: "click",
        },
        {
            content: "The survey is the post-ticket one, to the customer",
            trigger:
                '.o_field_widget[name="nps_request_id"]:contains("Post-ticket satisfaction - Acme Telecom Client, Alice Acme")',
        },
        {
            content: "Its status: scheduled",
            trigger: '.o_field_widget[name="nps_request_state"]:contains("Scheduled")',
        },
        {
            content: "The agent may record a phone answer",
            trigger: '.o_notebook button:contains("Record a phone answer")',
        },
        noErrorDialog(),
    ],
});

/**
 * The same agent turns the survey off on another ticket, says why, and
 * closes it: the ticket says no survey goes, and why.
 */
registry.category("web_tour.tours").add("nps_agent_ticket_opt_out", {
    steps: () => [
        {
            content: "The agent's other ticket is open",
            trigger: '.o_form_view .o_field_widget[name="name"] input:value("Duplicate of the outage ticket")',
        },
        {
            content: "Turn the survey off",
            trigger: '.o_field_widget[name="nps_send_survey"] input:checked',
            run: "click",
        },
        {
            content: "The form asks why, and waits for it: nothing saved yet",
            trigger:
                '.o_form_view .o_form_dirty .o_field_widget.o_required_modifier[name="nps_skip_reason"] input',
            run: "edit Duplicate: the customer is surveyed on the outage ticket",
        },
        ...closeTheTicket(),
        {
            content: "The survey stays off",
            trigger: '.o_field_widget[name="nps_send_survey"] input:not(:checked)',
        },
        {
            content: "The agent's reason stays on the ticket",
            trigger:
                '.o_field_widget[name="nps_skip_reason"] input:value("Duplicate: the customer is surveyed on the outage ticket")',
        },
        {
            content: "Open the Satisfaction tab",
            trigger: '.o_notebook_headers a[name="nps"]',
            run: "click",
        },
        {
            content: "Its status: skipped",
            trigger: '.o_field_widget[name="nps_request_state"]:contains("Skipped")',
        },
        {
            content: "Open the survey from the ticket",
            trigger: '.o_field_widget[name="nps_request_id"] a.o_form_uri',
            run: "click",
        },
        {
            content: "The survey says why it was skipped",
            trigger: '.o_form_view .o_field_widget[name="skip_reason"]:contains("Agent opt-out")',
        },
        {
            content: "... with the agent's reason",
            trigger:
                '.o_form_view .o_field_widget[name="skip_note"]:contains("Duplicate: the customer is surveyed on the outage ticket")',
        },
        noErrorDialog(),
    ],
});
