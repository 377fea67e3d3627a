from . import nps_followup_close
from . import nps_phone_answer
from . import nps_campaign_send
from . import nps_privacy_export
from . import nps_privacy_anonymize
from . import nps_campaign_preview
from . import nps_theme_discovery
