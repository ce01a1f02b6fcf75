"""Kept for imports of the old place: the WordprocessingML layer is `negotiate.ooxml`."""
from ..ooxml import *  # noqa: F401,F403
from ..ooxml import CT_NS, DC_NS, M_NS, MC_NS, NSMAP, PKG_REL_NS, R_NS, W_NS, on, qn, wval  # noqa: F401
