import { registry } from "@web/core/registry";
import { closeDialogSteps } from "@nps_satisfaction/../tests/tours/utils/followup_close";

function noErrorDialog(where) {
    return {
        content: `No error dialog: ${where}`,
        trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_dialog .modal-title:contains(Error)))",
    };
}

/**
 * An account manager with only the Internal User rights opens what his
 * follow-up case points to (the answer, the ticket, read only), then works
 * the case from its activity: *Mark Done* records the work and gives him the
 * next step, whose *Done & Schedule Next* opens the close dialog; the closed
 * case links to its follow-up survey.
 */
registry.category("web_tour.tours").add("nps_followup_reach", {
    steps: () => [
        {
            content: "The case is open",
            trigger: '.o_form_view .o_field_widget[name="name"]:contains("Sierra Logistics")',
        },
        {
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Open")',
        },
        // --- The answer ---
        {
            content: "Open the customer's answer",
            trigger: 'button[name="action_open_answer"]',
            run: "click",
        },
        {
            content: "The answer: its score",
            trigger: '.o_form_view .o_field_widget[name="score"]:contains("2")',
        },
        {
            content: "... its comment",
            trigger: '.o_form_view .o_field_widget[name="comment"]:contains("Nobody called back")',
        },
        {
            content: "... its campaign",
            trigger: '.o_form_view .o_field_widget[name="campaign_id"]:contains("Post-ticket satisfaction")',
        },
        noErrorDialog("the answer"),
        // --- The ticket, from the answer ---
        {
            content: "Open the ticket the answer is about",
            trigger: 'button[name="action_open_document"]:contains("Ticket")',
            run: "click",
        },
        {
            content: "The ticket opens, read only",
            trigger: '.o_form_view .o_form_readonly .o_field_widget[name="name"]:contains("Line down at the depot")',
        },
        {
            content: "... with its history",
            trigger: '.o-mail-Message-body:contains("Rerouted the calls to the mobile")',
        },
        noErrorDialog("the ticket"),
        {
            content: "Back to the answer",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("Post-ticket satisfaction")',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="comment"]:contains("Nobody called back")',
        },
        {
            content: "Back to the case",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("Sierra Logistics")',
            run: "click",
        },
        // --- The case's activity: the work done ---
        {
            content: "Mark the follow-up activity done",
            trigger: '.o-mail-Activity:contains("Follow up with") .o-mail-Activity-markDone',
            run: "click",
        },
        {
            trigger: ".o-mail-ActivityMarkAsDone textarea",
            run: "edit Called Sue: the trunk was misrouted",
        },
        {
            trigger: '.o-mail-ActivityMarkAsDone button[aria-label="Done"]',
            run: "click",
        },
        {
            content: "The case is in progress",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("In progress")',
        },
        {
            content: "The next step is his: record the outcome",
            trigger: '.o-mail-Activity:contains("Record the outcome of the follow-up")',
        },
        {
            content: "The follow-up activity is done",
            trigger: '.o-mail-ActivityList:not(:has(.o-mail-Activity:contains("Follow up with")))',
        },
        {
            content: "The work is the case's action taken so far",
            trigger: '.o_field_widget[name="action_taken"] textarea:value("the trunk was misrouted")',
        },
        noErrorDialog("the activity marked done"),
        // --- The next step: the outcome, from the activity ---
        {
            content: "Mark the next step done...",
            trigger: '.o-mail-Activity:contains("Record the outcome") .o-mail-Activity-markDone',
            run: "click",
        },
        {
            content: "... and schedule the next: the case's close dialog opens",
            trigger: '.o-mail-ActivityMarkAsDone button[aria-label="Done and Schedule Next"]',
            run: "click",
        },
        {
            content: "The close dialog keeps the work done",
            trigger: '.modal .o_field_widget[name="note"] textarea:value("the trunk was misrouted")',
        },
        ...closeDialogSteps("Rerouted the trunk"),
        {
            content: "The case is done",
            trigger: 'body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
        {
            content: "Nothing left to do on it",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity))",
        },
        noErrorDialog("the case closed"),
        // --- The follow-up survey ---
        {
            content: "The closed case links to its follow-up survey",
            trigger: '.o_field_widget[name="survey_request_id"] a.o_form_uri',
            run: "click",
        },
        {
            content: "The follow-up survey is scheduled",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Scheduled")',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="campaign_id"]:contains("Follow-up of a detractor")',
        },
        noErrorDialog("the follow-up survey"),
    ],
});
