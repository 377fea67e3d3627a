import { registry } from "@web/core/registry";

function noErrorDialog(where) {
    return {
        content: `No error dialog: ${where}`,
        trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_dialog .modal-title:contains(Error)))",
    };
}

/**
 * A satisfaction user reads *Did they stay?* on the dashboard: the block
 * follows the period switch as the others do; over the last 30 days one
 * promoter left and no detractor, so no lift is told (a 0.0x said nothing).
 * The analysis it opens is the period's: a group without customers shows no
 * rate, no interval, and the lift is not shown; its pivot opens by account
 * category with the churn rate, not split by who left.
 */
registry.category("web_tour.tours").add("nps_churn_figures", {
    steps: () => [
        {
            content: "Open Did they stay?",
            trigger: '.o_notebook a[name="churn"]',
            run: "click",
        },
        {
            content: "The default period (90 days) holds the 6 notices",
            trigger: '.o_field_widget[name="churn_warning"]:contains("4 of the 6 notices")',
        },
        {
            content: "Switch to the last 30 days",
            trigger: '.o_field_widget[name="period"] .o_radio_item:contains("Last 30 days") input',
            run: "click",
        },
        {
            content: "The block follows: the 2 notices of the last 30 days",
            trigger: '.o_field_widget[name="churn_warning"]:contains("1 of the 2 notices")',
        },
        {
            content: "No lift on a single departure",
            trigger:
                '.o_field_widget[name="churn_summary"]:contains("Not enough departures"):not(:contains("0.0x"))',
        },
        {
            content: "Open the analysis",
            trigger: 'button[name="action_view_churn"]',
            run: "click",
        },
        {
            content: "The analysis of the period",
            trigger: '.o_field_widget[name="summary"]:contains("0 of 1 detractors and 1 of 4 promoters")',
        },
        {
            content: "No lift shown where none can be told",
            trigger: '.o_form_view:not(:has(.o_field_widget[name="lift"]))',
        },
        {
            content: "A group without customers: no rate, no interval",
            trigger:
                '.o_field_widget[name="segment_ids"] tr.o_data_row:contains("Watch"):not(:contains("0.0"))',
        },
        {
            content: "A group with customers keeps its rate and interval",
            trigger:
                '.o_field_widget[name="segment_ids"] tr.o_data_row:contains("Promoter"):contains("25.0")',
        },
        noErrorDialog("the analysis"),
        {
            content: "Open the pivot",
            trigger: 'button[name="action_open_pivot"]',
            run: "click",
        },
        {
            content: "By account category, in rows",
            trigger: '.o_pivot tbody th.o_pivot_header_cell_closed:contains("Promoter")',
        },
        {
            content: "The churn rate measured, the columns not split by who left",
            trigger:
                '.o_pivot thead:has(th.o_pivot_measure_row:contains("Churn rate (%)")):has(th.o_pivot_header_cell_closed:contains("Total"))',
        },
        noErrorDialog("the pivot"),
    ],
});

/**
 * An account manager's *My customers by risk*: the customer who left is not
 * at its top (nor in it); the *Left* filter finds him.
 */
registry.category("web_tour.tours").add("nps_my_customers_risk_left", {
    steps: () => [
        {
            content: "The customer who stays is listed",
            trigger: '.o_list_view tr.o_data_row:contains("Staying Telecom")',
        },
        {
            content: "The customer who left is not",
            trigger: '.o_list_view:not(:has(tr.o_data_row:contains("Gone Telecom")))',
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter the customers who left",
            trigger: '.o_filter_menu .o_menu_item:contains("Left")',
            run: "click",
        },
        {
            content: "The customer who left is found",
            trigger: '.o_list_view tr.o_data_row:contains("Gone Telecom")',
        },
        noErrorDialog("the list"),
    ],
});
