/* Satisfaction answer page: one click answers.
 *
 * The email's score links open this page with the score preselected; a GET
 * records nothing. In a real browser this script posts the form at once, so
 * the customer's click is recorded without a second click. Clicking another
 * score on the page posts it too. */
(function () {
    "use strict";
    function ready(callback) {
        if (document.readyState === "loading") {
            document.addEventListener("DOMContentLoaded", callback);
        } else {
            callback();
        }
    }
    ready(function () {
        const form = document.querySelector("form.o_nps_form");
        if (!form) {
            return;
        }
        const scale = form.querySelector(".o_nps_scale");
        if (scale) {
            scale.addEventListener("change", function (event) {
                if (event.target && event.target.name === "score") {
                    form.submit();
                }
            });
        }
        if (form.dataset.autosubmit === "1" && form.querySelector("input[name=score]:checked")) {
            form.submit();
        }
    });
})();
