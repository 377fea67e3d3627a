from . import test_nps_tools
from . import test_scheduling
from . import test_dispatch
from . import test_answer
from . import test_reminders
from . import test_performance
from . import test_controller
from . import test_security
