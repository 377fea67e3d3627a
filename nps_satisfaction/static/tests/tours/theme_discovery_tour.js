import { registry } from "@web/core/registry";

/**
 * A satisfaction manager looks for the words detractors use that no theme
 * covers: he finds "roaming", adds it to the network theme, and adds
 * "Spain" to the alert keywords.
 */
registry.category("web_tour.tours").add("nps_theme_discovery", {
    steps: () => [
        {
            content: "Find the words of the last 90 days' comments",
            trigger: '.o_form_view button[name="action_find"]',
            run: "click",
        },
        {
            content: "Roaming is listed, in the four comments that use it",
            trigger: '.o_field_widget[name="word_line_ids"] .o_data_row:has(td[name="forms"]:contains("roaming")) td[name="count"]:contains("4")',
        },
        {
            content: "Choose the theme to add it to",
            trigger: '.o_field_widget[name="word_line_ids"] .o_data_row:has(td[name="forms"]:contains("roaming")) td[name="theme_id"]',
            run: "click",
        },
        {
            trigger: '.o_data_row.o_selected_row [name="theme_id"] input',
            run: "edit Network",
        },
        {
            trigger: '.o-autocomplete--dropdown-item:contains("Network and service quality")',
            run: "click",
        },
        {
            content: "Add it to the theme",
            trigger: '.o_data_row:has(td[name="forms"]:contains("roaming")) button[name="action_add_to_theme"]',
            run: "click",
        },
        {
            content: "It is a word of the theme now: no more button",
            trigger: '.o_data_row:has(td[name="forms"]:contains("roaming")):not(:has(button[name="action_add_to_theme"]))',
        },
        {
            content: "Add Spain to the alert keywords",
            trigger: '.o_data_row:has(td[name="name"]:contains("Spain")) button[name="action_add_to_alert_keywords"]',
            run: "click",
        },
        {
            content: "Spain is an alert keyword now",
            trigger: '.o_data_row:has(td[name="name"]:contains("Spain")):not(:has(button[name="action_add_to_alert_keywords"]))',
        },
    ],
});
