import { registry } from "@web/core/registry";

/**
 * A signed-in customer with a survey waiting sees the satisfaction prompt on
 * his portal with the whole scale, and closes it: it stays hidden on the
 * next page.
 */
registry.category("web_tour.tours").add("nps_prompt_dismiss", {
    steps: () => [
        {
            content: "The prompt asks the survey's question",
            trigger: ".o_nps_prompt #o_nps_prompt_title:contains(recommend)",
        },
        {
            content: "with the scale from 0",
            trigger: ".o_nps_prompt button.o_nps_prompt_score[value='0']",
        },
        {
            content: "to 10",
            trigger: ".o_nps_prompt button.o_nps_prompt_score[value='10']",
        },
        {
            content: "Not now",
            trigger: ".o_nps_prompt button.o_nps_prompt_dismiss",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the portal, without the prompt",
            trigger: "#wrapwrap:not(:has(.o_nps_prompt)) .o_portal_my_home",
        },
    ],
});
