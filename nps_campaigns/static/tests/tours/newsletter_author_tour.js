import { manuallyDispatchProgrammaticEvent as dispatch } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * Type one character in an empty paragraph of the editor the way
 * html_editor's own tests do (a script cannot make the browser insert text):
 * keydown, beforeinput, the text replacing the paragraph's <br>, input,
 * keyup. Typing "/" so opens the editor's commands, and choosing one takes
 * the "/" away again, as for a user.
 */
async function typeInEmptyParagraph(paragraph, char) {
    const editable = paragraph.closest(".odoo-editor-editable");
    const selection = paragraph.ownerDocument.getSelection();
    selection.setPosition(paragraph, 0);
    await dispatch(editable, "keydown", { key: char });
    await dispatch(editable, "beforeinput", { inputType: "insertText", data: char });
    paragraph.replaceChildren(char);
    selection.setPosition(paragraph.firstChild, 1);
    await dispatch(editable, "input", { inputType: "insertText", data: char });
    await dispatch(editable, "keyup", { key: char });
}

/**
 * An email marketer (Email Marketing user, no satisfaction rights) opens a
 * customer segment from the Email Marketing app, starts a mailing from it,
 * writes a line, inserts the contact's "Survey buttons" with the editor's
 * "/" command and its Dynamic Placeholder, and sends the mailing.
 */
registry.category("web_tour.tours").add("nps_newsletter_author", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Email Marketing",
            trigger: '.o_app[data-menu-xmlid="mass_mailing.mass_mailing_menu_root"]',
            run: "click",
        },
        {
            trigger: '.o-dropdown[data-menu-xmlid="mass_mailing.mass_mailing_mailing_list_menu"]',
            run: "click",
        },
        {
            content: "The customer segments are under the mailing lists",
            trigger:
                '.o-dropdown-item[data-menu-xmlid="nps_campaigns.menu_mass_mailing_nps_segments"]',
            run: "click",
        },
        {
            content: "Open the segment",
            trigger: '.o_data_row td[name="name"]:contains("SIP trunk around Paris")',
            run: "click",
        },
        {
            content: "The segment counts its customers",
            trigger: 'button[name="action_view_partners"] .o_stat_value:contains(/^2$/)',
        },
        {
            content: "and the contacts a mailing would go to",
            trigger: 'button[name="action_view_recipients"] .o_stat_value:contains(/^5$/)',
        },
        {
            content: "Start a mailing to the segment",
            trigger: 'button[name="action_new_mailing"]',
            run: "click",
        },
        {
            content: "The mailing goes to contacts",
            trigger: '.o_field_widget[name="mailing_model_id"] input:value("Contact")',
        },
        {
            content: "of the segment",
            trigger: '.o_field_widget[name="nps_segment_id"] input:value("SIP trunk around Paris")',
        },
        {
            trigger: "#subject_0",
            run: "edit Your SIP trunk moves to the new platform",
        },
        {
            content: "Pick the plain layout",
            trigger: '.o_mailing_template_preview_wrapper [data-name="basic"]',
            run: "click",
        },
        {
            trigger: ".o_mass_mailing_iframe_wrapper :iframe .o_layout.o_basic_theme",
        },
        {
            content: "Write a line",
            trigger: ":iframe .odoo-editor-editable .o_mail_no_options p:first",
            run: "editor On Monday night your SIP trunk moves to our new platform.",
        },
        {
            content: "Type / on the next line",
            trigger: ":iframe .odoo-editor-editable .o_mail_no_options p:eq(1)",
            async run(actions) {
                await actions.click();
                await typeInEmptyParagraph(this.anchor, "/");
            },
        },
        {
            content: "The editor's commands offer the dynamic placeholder",
            trigger: '.o-we-powerbox .o-we-command-name:contains("Dynamic Placeholder")',
            run: "click",
        },
        {
            trigger: "div.o_model_field_selector_popover_search input[type='text']",
            run: "edit Survey",
        },
        {
            content: "The contact's survey buttons are offered",
            trigger: 'div.o_model_field_selector_popover button:contains("Survey buttons")',
            run: "click",
        },
        {
            content: "Insert them (no default text: nothing shows when no survey goes out)",
            trigger: "div.o_model_field_selector_popover button.btn-primary:contains(Insert)",
            run: "click",
        },
        {
            content: "The placeholder is in the body, the / gone",
            trigger:
                ':iframe .o_mail_no_options p:eq(1):has(t[t-out="object.nps_survey_html"]):not(:contains("/"))',
        },
        ...stepUtils.saveForm(),
        {
            content: "The settings name the survey the mailing carries",
            trigger: '.o_notebook .nav-link:contains("Settings")',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="nps_campaign_id"] input:value("Newsletter survey")',
        },
        {
            trigger: '.o_field_widget[name="nps_uses_survey"] input:checked',
        },
        {
            content: "Send",
            trigger: 'button[name="action_launch"]',
            run: "click",
        },
        {
            trigger: '.modal-footer button:contains("Send to all")',
            run: "click",
        },
        {
            content: "The mailing waits in the queue",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("In Queue")',
        },
    ],
});
