from . import answer
from . import counter
from . import optout
from . import images
from . import portal
