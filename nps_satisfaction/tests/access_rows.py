"""Access-rights rows of nps_satisfaction (format: tests/access_matrix.py).

Roles, in order: public, portal customer A, portal customer B, agent who sees
only own tickets, satisfaction user, satisfaction manager, manager of another
company. A's request is about a ticket of another agent, in the main company.
"""

ROWS = (
    # subject, operation, op_<method>, expected per role
    ("answers", "read A's answer (survey.user_input)", "read_answer", "NNNNNNN"),
    ("answers", "write A's answer (survey.user_input)", "write_answer", "NNNNNNN"),
    ("answers", "read A's score and comment", "read_request_answer", "NYNNYYN"),
    ("answers", "change A's score and comment", "write_request_answer", "NNNNNNN"),
    ("requests", "read A's request", "read_request", "NYNNYYN"),
    ("requests", "read the survey link of A's request", "read_token", "NNNNYYN"),
    (
        "requests",
        "read the request of the agent's own ticket",
        "read_own_ticket_request",
        "NNNYYYN",
    ),
    ("requests", "create a request", "create_request", "NNNNNYY"),
    ("requests", "delete A's request", "unlink_request", "NNNNNYN"),
    ("campaigns", "read a campaign", "read_campaign", "NNNYYYN"),
    ("campaigns", "change a campaign", "write_campaign", "NNNNNYN"),
    ("campaigns", "create a campaign", "create_campaign", "NNNNNYY"),
    (
        "reports",
        "read A's answer in the analysis (nps.report)",
        "read_report",
        "NNNNYYN",
    ),
    ("reports", "open the dashboard", "open_dashboard", "NNNNYYY"),
)
