"""Access-rights rows of nps_satisfaction (format: tests/access_matrix.py).

Roles, in order: public, portal customer A, portal customer B, agent who sees
only own tickets, A's account manager (a salesperson with only the Internal
User rights), satisfaction user, satisfaction manager, manager of another
company. A's request is about a ticket of another agent, in the main company;
A's and B's answers are detractors, each with its follow-up case (B's goes to
the helpdesk team leader: B has no account manager).
"""

ROWS = (
    # subject, operation, op_<method>, expected per role
    ("answers", "read A's answer (survey.user_input)", "read_answer", "NNNNNNNN"),
    ("answers", "write A's answer (survey.user_input)", "write_answer", "NNNNNNNN"),
    ("answers", "read A's score and comment", "read_request_answer", "NYNNYYYN"),
    ("answers", "change A's score and comment", "write_request_answer", "NNNNNNNN"),
    ("requests", "read A's request", "read_request", "NYNNYYYN"),
    ("requests", "read the survey link of A's request", "read_token", "NNNNNNYN"),
    (
        "requests",
        "read the request of the agent's own ticket",
        "read_own_ticket_request",
        "NNNYNYYN",
    ),
    ("requests", "create a request", "create_request", "NNNNNNYY"),
    ("requests", "delete A's request", "unlink_request", "NNNNNNYN"),
    ("campaigns", "read a campaign", "read_campaign", "NNNYNYYN"),
    ("campaigns", "change a campaign", "write_campaign", "NNNNNNYN"),
    ("campaigns", "create a campaign", "create_campaign", "NNNNNNYY"),
    (
        "reports",
        "read A's answer in the analysis (nps.report)",
        "read_report",
        "NNNNNYYN",
    ),
    ("follow-ups", "read A's follow-up case", "read_followup", "NNNNYYYN"),
    ("follow-ups", "work A's follow-up case", "write_followup", "NNNNYYYN"),
    ("follow-ups", "close A's follow-up case", "close_followup", "NNNNYYYN"),
    ("follow-ups", "read B's follow-up case", "read_followup_b", "NNNNNYYN"),
    ("follow-ups", "create a follow-up case", "create_followup", "NNNNNNYN"),
    ("follow-ups", "delete A's follow-up case", "unlink_followup", "NNNNNNYN"),
    ("reports", "open the dashboard", "open_dashboard", "NNNNNYYY"),
)
