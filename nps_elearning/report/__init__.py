from . import nps_onboarding_report
