import { registry } from "@web/core/registry";

/**
 * Someone joins a customer's onboarding with its company link. With an
 * address the customer is not known to use, the request waits for the
 * account manager; with one of its domains, the personal link is emailed.
 */
function joinSteps(name, email, outcome) {
    return [
        {
            content: "Give a name",
            trigger: "form.o_onboarding_join input[name=name]",
            run: `edit ${name}`,
        },
        {
            content: "Give an email",
            trigger: "form.o_onboarding_join input[name=email]",
            run: `edit ${email}`,
        },
        {
            content: "Join",
            trigger: "form.o_onboarding_join button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page says what happens next",
            trigger: outcome,
        },
    ];
}

registry.category("web_tour.tours").add("nps_elearning_join_pending", {
    steps: () =>
        joinSteps("Eve Stranger", "eve@elsewhere.example.net", "h1.o_onboarding_done"),
});

registry.category("web_tour.tours").add("nps_elearning_join_admitted", {
    steps: () => joinSteps("Zoe New", "zoe@acme.example.com", "h1.o_onboarding_done"),
});

/**
 * A learner opens the personal link of an onboarding course: the page asks
 * him to press a button (no sign-in on opening), which leads to Odoo's own
 * sign-up page, where he chooses a password; then he reads both articles
 * and completes the course.
 */
registry.category("web_tour.tours").add("nps_elearning_onboarding_course", {
    steps: () => [
        {
            content: "The link shows a button, nothing more",
            trigger: "form.o_onboarding_access button.o_onboarding_open",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Odoo's sign-up page: choose a password",
            trigger: "form.oe_signup_form input[name=password]",
            run: "edit Learner-Pass-2026!",
        },
        {
            content: "Confirm it",
            trigger: "form.oe_signup_form input[name=confirm_password]",
            run: "edit Learner-Pass-2026!",
        },
        {
            content: "Sign up",
            trigger: "form.oe_signup_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Signed in, on the course page",
            trigger: 'a.o_wslides_js_slides_list_slide_link:contains("Plug in your phone")',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Reading the first article counts as half the course",
            trigger: '.o_wslides_progress_percentage:contains("50")',
        },
        {
            content: "Open the next article in the player",
            trigger: '.o_wslides_fs_slide_name:contains("Your voicemail")',
            run: "click",
        },
        {
            content: "The course is completed",
            trigger: ".o_wslides_channel_completion_completed",
        },
    ],
});
