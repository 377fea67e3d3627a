from . import nps_segment
from . import nps_campaign
from . import nps_request
from . import res_partner
from . import mailing_mailing
from . import mail_render_mixin
from . import mail_compose_message
from . import nps_demo
