import { registry } from "@web/core/registry";

function noErrorDialog(where) {
    return {
        content: `No error dialog: ${where}`,
        trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_dialog .modal-title:contains(Error)))",
    };
}

/**
 * An account manager with only the Internal User rights records his
 * customer's termination notice from the customer's form (*Record a
 * termination* in the Satisfaction tab), then marks it withdrawn: the
 * customer stayed. Back on the customer's form, the termination is listed
 * and no notice banner is left.
 */
registry.category("web_tour.tours").add("nps_termination_account_manager", {
    steps: () => [
        {
            content: "Open the customer's Satisfaction tab",
            trigger: '.o_notebook a[name="nps"]',
            run: "click",
        },
        {
            content: "Record a termination",
            trigger: 'button[name="action_nps_record_termination"]',
            run: "click",
        },
        {
            content: "The form opens with the customer",
            trigger: '.o_form_view .o_field_widget[name="partner_id"] input:value("Acme Telecom Client")',
        },
        {
            content: "Choose the reason",
            trigger: '.o_field_widget[name="reason_id"] input',
            run: "edit Gone",
        },
        {
            trigger: '.o-autocomplete--dropdown-item a:contains("Gone to a competitor")',
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, notice given",
            trigger: '.o_form_saved .o_statusbar_status button.o_arrow_button_current:contains("Notice given")',
        },
        noErrorDialog("the termination saved"),
        {
            content: "The customer stayed",
            trigger: 'button[name="action_withdraw"]',
            run: "click",
        },
        {
            content: "Withdrawn",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Withdrawn (stayed)")',
        },
        {
            content: "Back to the customer",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("Acme Telecom Client")',
            run: "click",
        },
        {
            content: "The Terminations button counts it",
            trigger: 'button[name="action_view_nps_terminations"] .o_stat_value:contains("1")',
        },
        {
            content: "Open the Satisfaction tab",
            trigger: '.o_notebook a[name="nps"]',
            run: "click",
        },
        {
            content: "The termination is listed, withdrawn",
            trigger: '.o_field_widget[name="nps_termination_ids"] tr.o_data_row:contains("Gone to a competitor"):contains("Withdrawn (stayed)")',
        },
        {
            content: "No notice left open",
            trigger: '.o_notebook:not(:has(.alert-warning:contains("gave notice")))',
        },
        noErrorDialog("the customer's form"),
    ],
});

/**
 * A satisfaction user types an end date before the notice date: the save
 * is refused with the reason, and the date he types next is the one the
 * form shows and saves (not the refused one, nor the old one).
 */
registry.category("web_tour.tours").add("nps_termination_rejected_end_date", {
    steps: () => [
        {
            content: "The termination's form, its end date on May 31",
            trigger: '.o_field_widget[name="end_date"] button:contains("May 31, 2025")',
            run: "click",
        },
        {
            content: "An end date before the notice date (March 1)",
            trigger: '.o_field_widget[name="end_date"] input',
            run: "edit 02/28/2025 && press Enter",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Refused, with the reason",
            trigger: '.modal:contains("comes before its notice date")',
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The message is gone",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The refused date is still there, to correct",
            trigger: '.o_field_widget[name="end_date"] button:contains("Feb 28, 2025")',
            run: "click",
        },
        {
            content: "Correct the end date",
            trigger: '.o_field_widget[name="end_date"] input',
            run: "edit 04/30/2025 && press Enter",
        },
        {
            content: "Save again",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        noErrorDialog("the corrected end date saved"),
        {
            content: "The form shows the corrected end date",
            trigger: '.o_field_widget[name="end_date"] button:contains("Apr 30, 2025")',
        },
        {
            content: "Nothing left to save: the refused date is not pending",
            trigger: "body:not(:has(.o_form_status_indicator_buttons:not(.invisible)))",
        },
    ],
});
