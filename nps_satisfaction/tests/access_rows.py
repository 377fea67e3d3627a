"""Access-rights rows of nps_satisfaction (format: tests/access_matrix.py).

Roles, in order: public, portal customer A, portal customer B, agent who sees
only own tickets, A's account manager (a salesperson with only the Internal
User rights), satisfaction user, satisfaction manager, manager of another
company. A's request is about a ticket of another agent, in the main company;
A's and B's answers are detractors, each with its follow-up case (B's goes to
the helpdesk team leader: B has no account manager). A's and B's terminations
are in the main company.
"""

ROWS = (
    # subject, operation, op_<method>, expected per role
    ("answers", "read A's answer (survey.user_input)", "read_answer", "NNNNNNNNN"),
    ("answers", "write A's answer (survey.user_input)", "write_answer", "NNNNNNNNN"),
    (
        "answers",
        "read A's answers to the survey's questions (survey.user_input.line)",
        "read_answer_lines",
        "NNNNNYYNN",
    ),
    ("answers", "read A's score and comment", "read_request_answer", "NYNNYYYNY"),
    ("answers", "change A's score and comment", "write_request_answer", "NNNNNNNNN"),
    ("answers", "read the themes of A's comment", "read_request_themes", "NNNNYYYNY"),
    (
        "answers",
        "choose the themes of A's comment",
        "write_request_themes",
        "NNNNNYYNN",
    ),
    ("requests", "read A's request", "read_request", "NYNNYYYNY"),
    ("requests", "read the survey link of A's request", "read_token", "NNNNNNYNN"),
    (
        "requests",
        "read the request of the agent's own ticket",
        "read_own_ticket_request",
        "NNNYNYYNY",
    ),
    ("requests", "create a request", "create_request", "NNNNNNYYN"),
    ("requests", "delete A's request", "unlink_request", "NNNNNNYNN"),
    ("campaigns", "read a campaign", "read_campaign", "NNNYYYYNY"),
    ("campaigns", "change a campaign", "write_campaign", "NNNNNNYNN"),
    ("campaigns", "create a campaign", "create_campaign", "NNNNNNYYN"),
    (
        "campaigns",
        "read a satisfaction alert about A on the campaign",
        "read_campaign_alert",
        "NNNYYYYYY",
    ),
    (
        "campaigns",
        "read A's score or comment in that alert (they stay on A's case)",
        "read_answer_in_campaign_alert",
        "NNNNNNNNN",
    ),
    (
        "reports",
        "read A's answer in the analysis (nps.report)",
        "read_report",
        "NNNNYYYNN",
    ),
    (
        "reports",
        "read B's answer in the analysis (nps.report)",
        "read_report_b",
        "NNNNNYYNN",
    ),
    (
        "reports",
        "read A's answer in the comment themes' figures (nps.theme.report)",
        "read_theme_report",
        "NNNNYYYNN",
    ),
    (
        "reports",
        "read B's answer in the comment themes' figures (nps.theme.report)",
        "read_theme_report_b",
        "NNNNNYYNN",
    ),
    ("follow-ups", "read A's follow-up case", "read_followup", "NNNNYYYNN"),
    ("follow-ups", "work A's follow-up case", "write_followup", "NNNNYYYNN"),
    ("follow-ups", "close A's follow-up case", "close_followup", "NNNNYYYNN"),
    ("follow-ups", "read B's follow-up case", "read_followup_b", "NNNNNYYNN"),
    ("follow-ups", "create a follow-up case", "create_followup", "NNNNNNYNN"),
    ("follow-ups", "delete A's follow-up case", "unlink_followup", "NNNNNNYNN"),
    (
        "follow-ups",
        "move A's follow-up case (its customer, contact, ticket, team, campaign)",
        "move_followup",
        "NNNNNNNNN",
    ),
    (
        "requests",
        "print the survey QR code of the agent's own ticket",
        "print_qr_own",
        "NNNNNNYNN",
    ),
    ("reports", "open the dashboard", "open_dashboard", "NNNNNYYYN"),
    (
        "agents' figures",
        "read the figures of the agent's own tickets (nps.agent.report)",
        "read_agent_figures_own",
        "NNNYNYYNY",
    ),
    (
        "agents' figures",
        "read A's answer among the agents' figures",
        "read_agent_figures_a",
        "NNNNNYYNY",
    ),
    ("contact roles", "read the contact roles", "read_contact_roles", "NNNYYYYYY"),
    ("contact roles", "rename a contact role", "write_contact_role", "NNNNNNYYN"),
    ("contact roles", "create a contact role", "create_contact_role", "NNNNNNNNN"),
    (
        "account managers",
        "become a customer's account manager (satisfaction data): make oneself "
        "B's salesperson, with Contact Creation",
        "become_account_manager",
        "NNNNNYYYN",
    ),
    (
        "customer figures",
        "read A's customer figures (health, last score, CSAT, account NPS)",
        "read_figures_a",
        "NNNNYYYYN",
    ),
    (
        "customer figures",
        "read B's customer figures (health, last score, CSAT, account NPS)",
        "read_figures_b",
        "NNNNNYYYN",
    ),
    (
        "tickets",
        "read A's ticket and its messages (the link on A's follow-up case)",
        "read_ticket_a",
        "NYNNYNNNY",
    ),
    ("tickets", "change A's ticket", "write_ticket_a", "NNNNNNNNY"),
    ("themes", "read a comment theme", "read_theme", "NNNYYYYYY"),
    ("themes", "change a comment theme", "write_theme", "NNNNNNYYN"),
    (
        "themes",
        "look for the words no theme covers",
        "find_uncovered_words",
        "NNNNNYYYN",
    ),
    (
        "themes",
        "add a word no theme covers to a theme",
        "add_uncovered_word",
        "NNNNNNYYN",
    ),
    ("terminations", "read A's termination", "read_termination", "NNNNYYYNN"),
    (
        "terminations",
        "record a termination of A",
        "create_termination_a",
        "NNNNYYYYN",
    ),
    (
        "terminations",
        "work A's termination (note, withdrawn, left)",
        "write_termination",
        "NNNNYYYNN",
    ),
    ("terminations", "read B's termination", "read_termination_b", "NNNNNYYNN"),
    (
        "terminations",
        "record a termination of B",
        "create_termination_b",
        "NNNNNYYYN",
    ),
    ("terminations", "delete A's termination", "unlink_termination", "NNNNNNYNN"),
    (
        "customer figures",
        "read A's risk score and its drivers (as his form shows them)",
        "read_risk_a",
        "NNNNYYYYN",
    ),
    (
        "customer figures",
        "read B's risk score and its drivers (as his form shows them)",
        "read_risk_b",
        "NNNNNYYYN",
    ),
    (
        "customer figures",
        "find A, with his score, in My customers by risk",
        "my_customers_risk_a",
        "NNNNYNNNN",
    ),
    (
        "customer figures",
        "read A's health over time (nps.health.history)",
        "read_health_history",
        "NNNNNYYYN",
    ),
)
