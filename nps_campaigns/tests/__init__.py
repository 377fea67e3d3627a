from . import test_segment
from . import test_mailing
from . import test_controller
from . import test_access_matrix
from . import test_hostile_input
from . import test_send_policy
from . import test_date_trigger
from . import test_survey_link_privacy
