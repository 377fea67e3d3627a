/* Satisfaction answer page: one click answers.
 *
 * The email's score links open this page with the score preselected; a GET
 * records nothing. In a real browser this script posts the form at once
 * (marked "auto"), so the customer's click is recorded without a second
 * click. Mail security scanners open links too, and some run this script:
 * the score it posts by itself is only provisional. It becomes the answer
 * when the customer does something a scanner does not: sends the comment,
 * clicks another score, or makes a first real gesture (click, tap, key) on
 * the page that follows, which this script reports with a small POST
 * carrying the page's nonce and CSRF token. */
(function () {
    "use strict";
    function ready(callback) {
        if (document.readyState === "loading") {
            document.addEventListener("DOMContentLoaded", callback);
        } else {
            callback();
        }
    }

    function watchGestures() {
        const body = document.body;
        const nonce = body.dataset.npsConfirm;
        const url = body.dataset.npsConfirmUrl;
        if (!nonce || !url) {
            return;
        }
        const gestures = ["pointerdown", "touchstart", "keydown"];
        let sent = false;
        function confirm(event) {
            // events dispatched by a script are not the customer's
            if (sent || !event.isTrusted) {
                return;
            }
            sent = true;
            gestures.forEach((name) => document.removeEventListener(name, confirm, true));
            const data = new FormData();
            data.append("nonce", nonce);
            data.append("csrf_token", body.dataset.npsCsrf || "");
            fetch(url, {
                method: "POST",
                body: data,
                credentials: "same-origin",
                keepalive: true,
            }).catch(function () {
                // the comment step confirms as well
            });
        }
        gestures.forEach((name) => document.addEventListener(name, confirm, true));
    }

    ready(function () {
        watchGestures();
        const form = document.querySelector("form.o_nps_form");
        if (!form) {
            return;
        }
        // the page's one-click scale: the 0-10 score, or the 1-5 rating of a
        // CSAT campaign (a scale asked beside the comment waits for the button)
        const scale = form.querySelector(".o_nps_scale[data-nps-field]");
        const field = scale ? scale.dataset.npsField : "score";
        if (scale) {
            scale.addEventListener("change", function (event) {
                if (event.isTrusted && event.target && event.target.name === field) {
                    form.submit();
                }
            });
        }
        if (
            form.dataset.autosubmit === "1" &&
            form.querySelector("input[name=" + field + "]:checked")
        ) {
            const auto = document.createElement("input");
            auto.type = "hidden";
            auto.name = "auto";
            // the page's own proof that this script ran: a client that only
            // posts the form has a score that waits for its confirmation
            auto.value = form.dataset.npsAuto || "1";
            form.appendChild(auto);
            form.submit();
        }
    });
})();
