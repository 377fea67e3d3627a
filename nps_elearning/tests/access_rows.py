"""Access-rights rows of nps_elearning (format and roles:
nps_satisfaction/tests/access_matrix.py). Customer A is enrolled in an
onboarding course; A's company has its join link, and a stranger's request
to join waits for A's account manager. Enrolments and join requests carry
their company: a manager of another company reads neither them nor their
links. A shared customer (no company) and its join link stay visible to every
company, as Odoo shares such contacts."""

ROWS = (
    # subject, operation, op_<method>, expected per role
    ("course links", "read A's enrolment", "read_enrolment", "NNNNNYYNN"),
    ("course links", "read A's personal link", "read_link_token", "NNNNNYYNN"),
    ("course links", "revoke A's personal link", "revoke_link", "NNNNNYYNN"),
    ("course links", "change A's enrolment", "write_enrolment", "NNNNNNNNN"),
    ("course links", "create an enrolment", "create_enrolment", "NNNNNNNNN"),
    ("course links", "read the company's join link", "read_company_token", "NNNNNYYYN"),
    (
        "course links",
        "replace the company's join link",
        "reset_company_link",
        "NNNNNYYYN",
    ),
    ("course links", "enrol the company's contacts", "enrol_company", "NNNNNYYYN"),
    ("course links", "read a request to join A's courses", "read_join", "NNNNYYYNN"),
    (
        "course links",
        "approve a request to join A's courses",
        "approve_join",
        "NNNNYYYNN",
    ),
    ("reports", "read the onboarding report", "read_onboarding_report", "NNNNNYYYN"),
)
