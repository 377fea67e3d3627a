from . import nps_report_measures
from . import nps_report
from . import nps_theme_report
from . import nps_dashboard
from . import nps_dashboard_theme
from . import nps_agent_report
from . import nps_churn_analysis
from . import nps_dashboard_churn
