import { registry } from "@web/core/registry";

/**
 * An account manager with only the Internal User rights opens his
 * customer's form: the health and the last score sit in the button box
 * with the account NPS, the Satisfaction tab draws the last answers'
 * scores, and the health's button opens the customer's NPS over time.
 */
registry.category("web_tour.tours").add("nps_customer_evolution", {
    steps: () => [
        {
            content: "The last score in the button box",
            trigger: 'button[name="action_view_nps_report"] .o_stat_value:contains("3 / 10")',
        },
        {
            content: "The health beside it",
            trigger: 'button[name="action_view_nps_report"] .o_field_widget[name="nps_health_shown"]:contains("Watch")',
        },
        {
            content: "The account NPS over the contacts' latest answers",
            trigger: 'button[name="action_view_nps_contacts"] .o_field_widget[name="nps_account_nps_shown"]:contains("0")',
        },
        {
            content: "Open the Satisfaction tab",
            trigger: '.o_notebook a[name="nps"]',
            run: "click",
        },
        {
            content: "A point for each of the last answers",
            trigger: '.o_field_widget[name="nps_score_sparkline"] svg circle:nth-of-type(3)',
        },
        {
            content: "Open the customer's NPS over time",
            trigger: 'button[name="action_view_nps_report"]',
            run: "click",
        },
        {
            content: "The analysis opens on its graph",
            trigger: ".o_graph_view",
        },
        {
            content: "Of this customer",
            trigger: '.o_breadcrumb:contains("Satisfaction of Acme Telecom Client")',
        },
    ],
});
