import { registry } from "@web/core/registry";

/**
 * A customer opens the personal link of an onboarding course (signed in by
 * the link, no password), reads both articles and completes the course.
 */
registry.category("web_tour.tours").add("nps_elearning_onboarding_course", {
    steps: () => [
        {
            content: "The link opened the course page, signed in",
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
