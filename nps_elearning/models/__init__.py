from . import nps_campaign
from . import nps_request
from . import slide_channel
from . import slide_channel_partner
from . import res_partner
from . import project_project
from . import nps_demo
