import { registry } from "@web/core/registry";

/**
 * A satisfaction user opens the customers at risk: each card says what put
 * the customer at risk (its account NPS, not the follow-up open beside it)
 * and shows that account NPS, over one contact as over several.
 */
registry.category("web_tour.tours").add("nps_customer_health", {
    steps: () => [
        {
            content: "The account of two detractors: at risk for its account NPS",
            trigger:
                '.o_kanban_record:contains("Acme Telecom Client"):contains("Account NPS: detractor"):contains("Account NPS -100 · 2 contacts")',
        },
        {
            content: "The account of one detractor shows its account NPS too",
            trigger:
                '.o_kanban_record:contains("Beta Networks"):contains("Account NPS: detractor"):contains("Account NPS -100 · 1 contact"):not(:contains("contacts"))',
        },
        {
            content: "No customer at risk for an open follow-up",
            trigger: '.o_kanban_view:not(:contains("A follow-up is open"))',
        },
    ],
});
