"""Access-rights rows of nps_elearning (format and roles:
nps_satisfaction/tests/access_matrix.py). Customer A is enrolled in an
onboarding course; A's company has its join link. Enrolments and shared
customers carry no company (nor does the report of a customer without one): a manager of
another company reads them."""

ROWS = (
    # subject, operation, op_<method>, expected per role
    ("course links", "read A's enrolment", "read_enrolment", "NNNNNYYY"),
    ("course links", "read A's personal link", "read_link_token", "NNNNNYYY"),
    ("course links", "change A's enrolment", "write_enrolment", "NNNNNNNN"),
    ("course links", "create an enrolment", "create_enrolment", "NNNNNNNN"),
    ("course links", "read the company's join link", "read_company_token", "NNNNNYYY"),
    (
        "course links",
        "replace the company's join link",
        "reset_company_link",
        "NNNNNYYY",
    ),
    ("course links", "enrol the company's contacts", "enrol_company", "NNNNNYYY"),
    ("reports", "read the onboarding report", "read_onboarding_report", "NNNNNYYY"),
)
