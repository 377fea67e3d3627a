from . import test_segment
from . import test_mailing
from . import test_controller
