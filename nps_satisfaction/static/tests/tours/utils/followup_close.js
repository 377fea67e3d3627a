/**
 * The steps of closing a follow-up case in its close dialog (already open):
 * the root cause "Response time", the outcome "Resolved" and ``note`` as the
 * action taken.
 */
export function closeDialogSteps(note) {
    return [
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
            run: `edit ${note}`,
        },
        {
            trigger: '.modal-footer button[name="action_close"]',
            run: "click",
        },
    ];
}
