"""Access-rights rows of nps_campaigns (format and roles:
nps_satisfaction/tests/access_matrix.py). The segment belongs to the main
company."""

ROWS = (
    # subject, operation, op_<method>, expected per role
    ("segments", "read a segment", "read_segment", "NNNNYYN"),
    ("segments", "change a segment", "write_segment", "NNNNNYN"),
    ("segments", "create a segment", "create_segment", "NNNNNYY"),
    ("segments", "delete a segment", "unlink_segment", "NNNNNYN"),
)
