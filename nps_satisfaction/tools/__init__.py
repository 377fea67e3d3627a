from . import score_tools
from . import token_tools
from . import send_tools
from . import health_tools
from . import text_tools
from . import qr_tools
from . import scanner_tools
from . import stem_tools
