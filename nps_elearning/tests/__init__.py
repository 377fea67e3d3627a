from . import test_enrolment
from . import test_completion
from . import test_stalled
from . import test_report
from . import test_access
from . import test_tour
from . import test_security
