"""Access-rights rows of nps_campaigns (format and roles:
nps_satisfaction/tests/access_matrix.py). The segment belongs to the main
company."""

ROWS = (
    # subject, operation, op_<method>, expected per role
    ("segments", "read a segment", "read_segment", "NNNNNYYNN"),
    ("segments", "change a segment", "write_segment", "NNNNNNYNN"),
    ("segments", "create a segment", "create_segment", "NNNNNNYYN"),
    ("segments", "delete a segment", "unlink_segment", "NNNNNNYNN"),
    # the link of the newsletter's survey of A's colleague, read with the
    # context the mailing's sending uses: only his email ever holds it
    (
        "newsletters",
        "read a colleague's newsletter survey link",
        "read_colleague_survey_link",
        "NNNNNNNNN",
    ),
)
