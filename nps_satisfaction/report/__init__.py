from . import nps_report
from . import nps_dashboard
